using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// Which log rows a query covers. Every condition that is set must hold; an empty filter covers every row. Level and
/// time conditions are answered from the indexes; the others are checked on the rows those select, so combine them
/// with a time range on large databases.
/// </summary>
/// <example><code>new LogFilter { MinimumLevel = LogEventLevel.Warning, Within = TimeSpan.FromMinutes(30) }</code></example>
public sealed record LogFilter
{
    /// <summary>Only rows of exactly this level. Cannot be combined with <see cref="MinimumLevel"/>.</summary>
    public LogEventLevel? Level { get; init; }

    /// <summary>Only rows of this level or more severe. Cannot be combined with <see cref="Level"/>.</summary>
    public LogEventLevel? MinimumLevel { get; init; }

    /// <summary>Only rows at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only rows before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>
    /// Only rows from this long ago until now, such as <c>TimeSpan.FromMinutes(15)</c> for the last 15 minutes; "now" is
    /// taken each time the query runs. Cannot be combined with <see cref="Since"/> or <see cref="Until"/>.
    /// </summary>
    public TimeSpan? Within { get; init; }

    /// <summary>Only rows whose source context is exactly this, such as <c>MyApp.Orders.OrderService</c>.</summary>
    public string? SourceContext { get; init; }

    /// <summary>
    /// Only rows whose rendered message contains this text. As with SQLite's <c>LIKE</c>, ASCII letters match
    /// regardless of case; <c>%</c> and <c>_</c> are matched literally.
    /// </summary>
    public string? MessageContains { get; init; }

    /// <summary>
    /// A property to match, as a property name such as <c>OrderId</c> or a SQLite JSON path such as
    /// <c>$.Request.Path</c>. Rows match when the property equals <see cref="PropertyValue"/>, or, when that is null,
    /// when they have the property at all.
    /// </summary>
    public string? PropertyPath { get; init; }

    /// <summary>
    /// The value that <see cref="PropertyPath"/> must hold: a string, a number or a Boolean, compared as SQLite's
    /// <c>json_extract</c> returns it.
    /// </summary>
    public object? PropertyValue { get; init; }

    /// <summary>Only rows logged on this managed thread id.</summary>
    public long? ThreadId { get; init; }

    /// <summary>Only rows of this W3C trace id (32 hex digits).</summary>
    public string? TraceId { get; init; }

    /// <summary>Checks the filter, so that a mistake is reported when the call is made.</summary>
    internal void Validate(string parameterName)
    {
        if (Level is { } level && !Enum.IsDefined(level))
            throw new ArgumentException($"Level {(int)level} is not a Serilog level; use one of {LevelNames}.", parameterName);
        if (MinimumLevel is { } minimum && !Enum.IsDefined(minimum))
            throw new ArgumentException($"MinimumLevel {(int)minimum} is not a Serilog level; use one of {LevelNames}.", parameterName);
        if (Level != null && MinimumLevel != null)
            throw new ArgumentException(
                "Level and MinimumLevel are both set. Use Level for exactly one level, or MinimumLevel for a level and those above it.",
                parameterName);

        TimeRange.Validate(Since, Until, Within, parameterName);

        if (SourceContext is { Length: 0 })
            throw new ArgumentException("SourceContext is empty; give a source context such as \"MyApp.Orders\", or leave it null.", parameterName);
        if (MessageContains is { Length: 0 })
            throw new ArgumentException("MessageContains is empty; give some text to look for, or leave it null.", parameterName);
        if (TraceId is { } traceId && (traceId.Length != 32 || !traceId.All(char.IsAsciiHexDigit)))
            throw new ArgumentException(
                $"TraceId '{traceId}' is not a W3C trace id; give its 32 hex digits, as ActivityTraceId.ToHexString() writes them.",
                parameterName);

        if (PropertyPath == null)
        {
            if (PropertyValue != null)
                throw new ArgumentException("PropertyValue is set without PropertyPath; say which property it is for.", parameterName);
        }
        else
        {
            PropertyMatch.Validate(PropertyPath, PropertyValue, parameterName);
        }
    }

    static string LevelNames => string.Join(", ", Enum.GetNames<LogEventLevel>());
}
