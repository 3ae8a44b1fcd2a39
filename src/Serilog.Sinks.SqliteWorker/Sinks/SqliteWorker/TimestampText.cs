namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Writes timestamps as UTC <c>YYYY-MM-DD HH:MM:SS.fffffff</c>: the shape SQLite's own date functions produce, so
/// stored values sort as time and compare correctly with <c>datetime('now', '-1 hour')</c>.
/// </summary>
static class TimestampText
{
    public const int Length = 27;

    public static string Format(DateTimeOffset timestamp) =>
        string.Create(Length, timestamp.UtcTicks, static (chars, utcTicks) => Write(chars, utcTicks));

    static void Write(Span<char> chars, long utcTicks)
    {
        var time = new DateTime(utcTicks, DateTimeKind.Utc);
        Digits(chars[..4], time.Year);
        chars[4] = '-';
        Digits(chars.Slice(5, 2), time.Month);
        chars[7] = '-';
        Digits(chars.Slice(8, 2), time.Day);
        chars[10] = ' ';
        Digits(chars.Slice(11, 2), time.Hour);
        chars[13] = ':';
        Digits(chars.Slice(14, 2), time.Minute);
        chars[16] = ':';
        Digits(chars.Slice(17, 2), time.Second);
        chars[19] = '.';
        Digits(chars.Slice(20, 7), (int)(utcTicks % TimeSpan.TicksPerSecond));
    }

    static void Digits(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + value % 10);
            value /= 10;
        }
    }
}
