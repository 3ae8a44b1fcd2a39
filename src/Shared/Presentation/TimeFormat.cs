using System.Globalization;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>How times are shown: local time with its offset, or UTC with <c>--utc</c>.</summary>
sealed class TimeFormat(bool utc)
{
    public bool Utc { get; } = utc;

    /// <summary>For people: <c>2025-01-31 09:15:02.123 +01:00</c>, or <c>2025-01-31 08:15:02.123Z</c> in UTC.</summary>
    public string Format(DateTimeOffset time) => Utc
        ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
        : time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss.fff zzz", CultureInfo.InvariantCulture);

    /// <summary>To the minute, for chart axes and buckets.</summary>
    public string FormatMinute(DateTimeOffset time) => Utc
        ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture)
        : time.ToLocalTime().ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    /// <summary>The clock time alone, for the axis labels after the first on a chart within one day.</summary>
    public string FormatClock(DateTimeOffset time) =>
        (Utc ? time.ToUniversalTime() : time.ToLocalTime()).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Whether two times fall on the same calendar day as shown.</summary>
    public bool SameDay(DateTimeOffset a, DateTimeOffset b) => Utc
        ? a.UtcDateTime.Date == b.UtcDateTime.Date
        : a.ToLocalTime().Date == b.ToLocalTime().Date;

    /// <summary>For machines (JSON): ISO 8601 round-trip, with the local offset or <c>+00:00</c>.</summary>
    public string FormatIso(DateTimeOffset time) =>
        (Utc ? time.ToUniversalTime() : time.ToLocalTime()).ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// A time given on the command line: a duration back from <paramref name="now"/> (<c>1h</c>), or a date and time
    /// (<c>2025-01-31</c>, <c>2025-01-31T08:00</c>, <c>2025-01-31 08:00+01:00</c>); one without an offset is local time,
    /// or UTC with <c>--utc</c>.
    /// </summary>
    public static bool TryParsePoint(string text, DateTimeOffset now, bool utc, out DateTimeOffset time)
    {
        if (Duration.TryParse(text, out var ago))
        {
            time = ago >= now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : now - ago;
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            utc ? DateTimeStyles.AssumeUniversal : DateTimeStyles.AssumeLocal, out time);
    }
}
