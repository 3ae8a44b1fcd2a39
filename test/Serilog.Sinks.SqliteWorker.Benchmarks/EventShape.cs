using System.Globalization;
using Serilog.Events;
using Serilog.Parsing;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>The event every configuration writes, and the same event as a pre-rendered row of the logs table.</summary>
static class EventShape
{
    public const string Template = "Processed {Endpoint} in {Elapsed} ms for {UserId}";
    public const string Endpoint = "/api/users";
    public const double Elapsed = 23.4;

    /// <summary>The logs table's columns after id, in the order of a pre-rendered row's values.</summary>
    public static readonly string[] Columns = [.. LogColumns.All.Select(c => c.Name)];

    /// <summary>
    /// Events as Serilog makes them for the benchmark's call with the ThreadId enricher, made up front, 10 ticks apart:
    /// user ids as in <see cref="PrerenderRows"/>, thread ids 1 to 4 in turn.
    /// </summary>
    public static LogEvent[] Events(int count, DateTimeOffset start)
    {
        var template = new MessageTemplateParser().Parse(Template);
        var events = new LogEvent[count];
        for (var i = 0; i < count; i++)
            events[i] = new LogEvent(start.AddTicks(i * 10L), LogEventLevel.Information, null, template,
            [
                new LogEventProperty("Endpoint", new ScalarValue(Endpoint)),
                new LogEventProperty("Elapsed", new ScalarValue(Elapsed)),
                new LogEventProperty("UserId", new ScalarValue(i / 4)),
                new LogEventProperty("ThreadId", new ScalarValue(i % 4 + 1)),
            ]);
        return events;
    }

    /// <summary>Rows as the sink would store them, one array of column values per row, rendered before any timing.</summary>
    public static object[][] PrerenderRows(int count, DateTime startUtc)
    {
        var rows = new object[count][];
        object level = "Information", template = Template;
        object[] threadIds = [1L, 2L, 3L, 4L];
        for (var i = 0; i < count; i++)
        {
            var userId = i / 4;
            rows[i] =
            [
                startUtc.AddTicks(i * 10L).ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
                level,
                DBNull.Value,
                string.Create(CultureInfo.InvariantCulture, $"Processed \"{Endpoint}\" in {Elapsed} ms for {userId}"),
                template,
                DBNull.Value,
                threadIds[i % 4],
                DBNull.Value,
                DBNull.Value,
                string.Create(CultureInfo.InvariantCulture, $"{{\"Endpoint\":\"{Endpoint}\",\"Elapsed\":{Elapsed},\"UserId\":{userId}}}"),
            ];
        }

        return rows;
    }
}
