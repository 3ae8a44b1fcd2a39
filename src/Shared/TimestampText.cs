using System.Globalization;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Timestamps as the sink stores them: UTC text <c>YYYY-MM-DD HH:MM:SS.fffffff</c>, the shape SQLite's own date
/// functions produce, so stored values sort as time and compare correctly with <c>datetime('now', '-1 hour')</c>.
/// The query helper binds its time filters in exactly that shape, so that the timestamp indexes answer them.
/// Compiled into both assemblies, so that the writer and the reader cannot disagree on it.
/// </summary>
static class TimestampText
{
    public const int Length = 27;

    /// <summary>The first characters of a timestamp that name its minute (<c>YYYY-MM-DD HH:MM</c>).</summary>
    public const int MinutePrefixLength = 16;

    /// <summary>The first characters of a timestamp that name its hour (<c>YYYY-MM-DD HH</c>).</summary>
    public const int HourPrefixLength = 13;

    public static string Format(DateTimeOffset timestamp) =>
        string.Create(Length, timestamp.UtcTicks, static (chars, utcTicks) => Write(chars, utcTicks));

    public static DateTimeOffset Parse(string text)
    {
        if (text.Length == Length && TryParseStored(text, out var stored))
            return stored;

        // Rows added by other tools may use SQLite's shorter shapes, such as 'YYYY-MM-DD HH:MM:SS'; they are UTC too.
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return new DateTimeOffset(parsed.Ticks, TimeSpan.Zero);

        throw new FormatException(
            $"'{text}' is not a timestamp. Serilog.Sinks.SqliteWorker stores UTC text such as '2025-01-31 23:59:59.1234567'.");
    }

    /// <summary>Parses the start of a minute or hour bucket, a prefix of a stored timestamp.</summary>
    public static DateTimeOffset ParseBucket(string prefix) => prefix.Length switch
    {
        MinutePrefixLength => Parse(prefix + ":00"),
        HourPrefixLength => Parse(prefix + ":00:00"),
        _ => Parse(prefix),
    };

    static bool TryParseStored(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        value = default;
        if (s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' || s[19] != '.')
            return false;
        if (!TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) ||
            !TryDigits(s.Slice(8, 2), out var day) || !TryDigits(s.Slice(11, 2), out var hour) ||
            !TryDigits(s.Slice(14, 2), out var minute) || !TryDigits(s.Slice(17, 2), out var second) ||
            !TryDigits(s.Slice(20, 7), out var fraction))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) ||
            hour > 23 || minute > 59 || second > 59)
            return false;

        var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fraction;
        value = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
                return false;
            value = value * 10 + (c - '0');
        }

        return true;
    }

    /// <summary>Writes a timestamp's <see cref="Length"/> characters, for callers that keep text in buffers of their own.</summary>
    public static void Write(Span<char> chars, DateTimeOffset timestamp) => Write(chars, timestamp.UtcTicks);

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
