using System.Data.SQLite;
using System.Diagnostics;
using System.Globalization;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Query.Tests.Support;

/// <summary>
/// One database written by the sink and shared by the report tests, which only read it: 600 events over the last three
/// hours with every column in use, and 420 metrics. No row is within five minutes of "one hour ago", so that the
/// "last hour" reports cannot disagree with sqlite3's clock about a row on the boundary while the tests run.
/// </summary>
static class SampleDatabase
{
    public const int LogCount = 600;
    public const int MetricCount = 420;

    public static readonly string[] SourceContexts = ["Shop.Orders.OrderService", "Shop.Payments.Gateway", "Shop.Api.Controller", "Shop.Jobs.Nightly"];
    public static readonly string[] Operations = ["checkout", "search", "login", "refund", "export"];
    public static readonly ActivityTraceId[] TraceIds = Enumerable.Range(0, 5).Select(_ => ActivityTraceId.CreateRandom()).ToArray();

    static readonly Lazy<string> Database = new(Create);
    static TempFolder? _folder;

    /// <summary>When the data was written; every row is at most three hours before it.</summary>
    public static DateTimeOffset WrittenAt { get; private set; }

    public static string Path => Database.Value;

    public static void Delete() => _folder?.Dispose();

    static string Create()
    {
        _folder = new TempFolder();
        var path = _folder.File("sample.db");
        WrittenAt = DateTimeOffset.UtcNow;
        SinkDatabase.Write(path, logger =>
        {
            var previous = WrittenAt;
            for (var i = 0; i < LogCount; i++)
            {
                // Every tenth event shares the previous one's timestamp, so paging must break ties by id.
                var timestamp = i % 10 == 9 ? previous : WrittenAt - TimeSpan.FromSeconds(Offset(i)) - TimeSpan.FromTicks(i * 1234L % 10_000_000);
                previous = timestamp;
                logger.Write(Event(i, timestamp));
            }

            for (var i = 0; i < MetricCount; i++)
            {
                var (name, unit) = i switch
                {
                    < 240 => ("response_time", "ms"),
                    < 320 => ("db_query", "ms"),
                    < 400 => ("operation_duration_" + Operations[i % Operations.Length], "ms"),
                    _ => ("cpu_percent", "%"),
                };
                logger.Metric(name, Math.Round((i * 37 % 500) / 3.0 + 1, 4), unit);
            }
        });

        SpreadMetricTimestamps(path);
        return path;
    }

    static LogEvent Event(int i, DateTimeOffset timestamp)
    {
        var level = (i % 20) switch
        {
            0 => LogEventLevel.Fatal,
            1 or 2 => LogEventLevel.Error,
            3 or 4 or 5 => LogEventLevel.Warning,
            6 or 7 or 8 => LogEventLevel.Debug,
            9 => LogEventLevel.Verbose,
            _ => LogEventLevel.Information,
        };
        Exception? exception = level >= LogEventLevel.Error
            ? (i % 3) switch
            {
                0 => new InvalidOperationException($"Order {i % 4} could not be placed"),
                1 => new TimeoutException("The operation has timed out."),
                _ => new ArgumentException("Quantity must be positive.\r\nSecond line of the message"),
            }
            : null;
        var traceId = i % 3 == 0 ? TraceIds[i % TraceIds.Length] : (ActivityTraceId?)null;

        var properties = new List<(string, object?)> { ("ThreadId", (i % 6) + 1) };
        if (i % 5 != 0)
            properties.Add(("SourceContext", SourceContexts[i % SourceContexts.Length]));

        var (template, own) = (i % 5) switch
        {
            0 => ("Order {OrderId} placed by {UserId}", new (string, object?)[] { ("OrderId", i % 50), ("UserId", $"u-{i % 7}") }),
            1 => ("Cache miss for {CacheKey}", [("CacheKey", $"product:{i % 13}")]),
            // Commas, quotes, line breaks and non-ASCII text, which CSV and JSON must carry unharmed.
            2 => ("Payment {PaymentId} failed: {Reason}", [("PaymentId", $"p-{i}"), ("Reason", i % 2 == 0 ? "card \"declined\", retry\nlater" : "Größe ✓ 日本")]),
            3 => ("User {UserId} signed in", [("UserId", $"u-{i % 7}"), ("Premium", i % 2 == 0)]),
            _ => ("Health check passed", []),
        };
        properties.AddRange(own);
        return TestEvent.At(timestamp, level, template, exception, traceId, properties.ToArray());
    }

    /// <summary>Seconds before <see cref="WrittenAt"/>: spread over three hours, skipping 55 to 65 minutes.</summary>
    static int Offset(long i)
    {
        var offset = (int)(i * 7919 % 10_800);
        return offset is >= 3_300 and < 3_900 ? offset + 600 : offset;
    }

    /// <summary>The logger stamps metrics with the current time; spread them over the same three hours as the events.</summary>
    static void SpreadMetricTimestamps(string path)
    {
        using var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE metrics SET timestamp = @t WHERE id = @id";
        var time = new SQLiteParameter("@t");
        var id = new SQLiteParameter("@id");
        command.Parameters.Add(time);
        command.Parameters.Add(id);
        for (long i = 1; i <= MetricCount; i++)
        {
            var timestamp = WrittenAt - TimeSpan.FromSeconds(Offset(i * 3 + 1)) - TimeSpan.FromTicks(i * 7777 % 10_000_000);
            time.Value = timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
            id.Value = i;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
