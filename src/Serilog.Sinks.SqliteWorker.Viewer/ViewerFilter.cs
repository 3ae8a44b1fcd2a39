using Microsoft.AspNetCore.Http;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker.Viewer;

/// <summary>
/// The page's filters, as they stand in its URL (<c>?min=Warning&amp;q=timeout&amp;since=1h</c>), turned into the helper's
/// <see cref="LogFilter"/>. Empty values are ignored; a value that is not understood is refused with a message.
/// </summary>
static class ViewerFilter
{
    /// <summary>The query string keys the page keeps in its URL.</summary>
    public static readonly string[] Keys = ["level", "min", "since", "until", "q", "source", "prop", "trace", "thread"];

    public static LogFilter Parse(IQueryCollection query, DateTimeOffset now, bool utc)
    {
        string? Value(string key) => query[key].LastOrDefault() is { Length: > 0 } text ? text.Trim() : null;

        var filter = new LogFilter
        {
            Level = Level(Value("level"), "level"),
            MinimumLevel = Level(Value("min"), "min"),
            Since = Time(Value("since"), "since", now, utc),
            Until = Time(Value("until"), "until", now, utc),
            MessageContains = Value("q"),
            SourceContext = Value("source"),
            TraceId = Value("trace")?.ToLowerInvariant(),
            ThreadId = Value("thread") is { } thread
                ? long.TryParse(thread, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
                    ? id
                    : throw Refused($"thread '{thread}' is not a thread id; give a number such as 12.")
                : null,
        };

        if (Value("prop") is { } property)
        {
            var (path, value) = PropertyCondition.Parse(property);
            filter = filter with { PropertyPath = path, PropertyValue = value };
        }

        // The helper refuses two level conditions; in a URL the exact level is the narrower one.
        if (filter.Level != null && filter.MinimumLevel != null)
            filter = filter with { MinimumLevel = null };
        return filter;
    }

    /// <summary>The metric filter for the same time range.</summary>
    public static MetricFilter Metrics(LogFilter filter, string? name) =>
        new() { Name = name, Since = filter.Since, Until = filter.Until, Within = filter.Within };

    static LogEventLevel? Level(string? text, string key)
    {
        if (text == null)
            return null;
        if (LevelName.TryParse(text, out var level))
            return level;
        throw Refused($"{key} '{text}' is not a Serilog level; use one of {LevelName.Choices}.");
    }

    static DateTimeOffset? Time(string? text, string key, DateTimeOffset now, bool utc)
    {
        if (text == null)
            return null;
        if (TimeFormat.TryParsePoint(text, now, utc, out var time))
            return time;
        throw Refused($"{key} '{text}' is not a time; give a duration back from now {Duration.Examples}, or a date and time such as 2025-01-31 08:00.");
    }

    static ViewerException Refused(string message) => new(StatusCodes.Status400BadRequest, message);
}
