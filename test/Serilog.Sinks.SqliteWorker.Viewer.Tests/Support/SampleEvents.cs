using System.Data.SQLite;
using System.Diagnostics;
using System.Globalization;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Viewer.Tests.Support;

/// <summary>
/// A database of known events for the viewer's tests: 150 events, one every 30 seconds up to now, over three sources and
/// four levels, some with an exception or a trace id, and 120 values of two metrics, one every 40 seconds up to now.
/// </summary>
static class SampleEvents
{
    public const int LogCount = 150;
    public static readonly string[] Sources = ["Shop.Orders", "Shop.Payments", "Shop.Api"];
    public static readonly ActivityTraceId TraceId = ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736");

    public static void Write(string path)
    {
        var now = DateTimeOffset.UtcNow;
        SinkDatabase.Write(path, logger =>
        {
            for (var i = LogCount - 1; i >= 0; i--)
                logger.Write(Event(now, i));
            for (var i = 0; i < 120; i++)
                logger.Metric(i % 3 == 0 ? "checkout_ms" : "response_time", 10 + i % 40 + (i % 7) * 0.5 + (i % 11 == 0 ? 30 : 0), "ms");
        });
        SpreadMetrics(path, now);
    }

    /// <summary>Copies every log row, <paramref name="times"/> times over, to make a large file quickly.</summary>
    public static void Double(string path, int times)
    {
        using var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString);
        connection.Open();
        var columns = new List<string>();
        using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('logs') WHERE name <> 'id'";
            using var reader = info.ExecuteReader();
            while (reader.Read())
                columns.Add(reader.GetString(0));
        }

        using var copy = connection.CreateCommand();
        copy.CommandText = $"INSERT INTO logs ({string.Join(", ", columns)}) SELECT {string.Join(", ", columns)} FROM logs";
        for (var i = 0; i < times; i++)
            copy.ExecuteNonQuery();
    }

    /// <summary>
    /// The sink stamps a metric when it is recorded; set-up moves them back to spread them over the same time as the
    /// events, as a long-running application's would be.
    /// </summary>
    static void SpreadMetrics(string path, DateTimeOffset now)
    {
        using var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE metrics SET timestamp = @t WHERE id = @id";
        var time = update.Parameters.Add("@t", System.Data.DbType.String);
        var id = update.Parameters.Add("@id", System.Data.DbType.Int64);
        for (var i = 1; i <= 120; i++)
        {
            time.Value = (now - TimeSpan.FromSeconds(40 * (120 - i))).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
            id.Value = i;
            update.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    static LogEvent Event(DateTimeOffset now, int i)
    {
        var source = Sources[i % 3];
        var properties = new (string, object?)[] { ("OrderId", i), ("Customer", "c" + (i % 4)), ("SourceContext", source) };
        var time = now - TimeSpan.FromSeconds(30 * i);
        var traceId = i % 5 == 0 ? TraceId : (ActivityTraceId?)null;
        return (i % 10) switch
        {
            0 => TestEvent.At(time, LogEventLevel.Error, "Order {OrderId} failed", new InvalidOperationException("Payment declined"), traceId, properties),
            1 => TestEvent.At(time, LogEventLevel.Warning, "Order {OrderId} is slow", null, traceId, properties),
            2 => TestEvent.At(time, LogEventLevel.Debug, "Cache miss for order {OrderId}", null, traceId, properties),
            _ => TestEvent.At(time, LogEventLevel.Information, "Order {OrderId} placed by {Customer}", null, traceId, properties),
        };
    }
}
