using System.Globalization;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>Durations as people type them: <c>15m</c>, <c>1h</c>, <c>7d</c>, <c>2w</c>, <c>500ms</c>, or combined, <c>1h30m</c>.</summary>
static class Duration
{
    public const string Examples = "such as 15m, 1h, 7d or 1h30m";

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var rest = text.AsSpan().Trim();
        if (rest.IsEmpty)
            return false;

        while (!rest.IsEmpty)
        {
            var digits = 0;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
                digits++;
            if (digits == 0 || !long.TryParse(rest[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
                return false;
            rest = rest[digits..];

            var unitLength = rest.StartsWith("ms", StringComparison.Ordinal) ? 2 : 1;
            if (rest.Length < unitLength)
                return false;
            var unit = unitLength == 2 ? TimeSpan.FromMilliseconds(1) : rest[0] switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                'w' => TimeSpan.FromDays(7),
                _ => TimeSpan.Zero,
            };
            if (unit == TimeSpan.Zero || amount > TimeSpan.MaxValue.Ticks / unit.Ticks)
                return false;
            rest = rest[unitLength..];

            try
            {
                duration = checked(duration + TimeSpan.FromTicks(amount * unit.Ticks));
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        return duration > TimeSpan.Zero;
    }

    /// <summary>A duration shown back to the user in the same shape, such as <c>1h30m</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
            return duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms";
        var parts = new List<string>();
        if (duration.Days > 0)
            parts.Add(duration.Days.ToString(CultureInfo.InvariantCulture) + "d");
        if (duration.Hours > 0)
            parts.Add(duration.Hours.ToString(CultureInfo.InvariantCulture) + "h");
        if (duration.Minutes > 0)
            parts.Add(duration.Minutes.ToString(CultureInfo.InvariantCulture) + "m");
        if (duration.Seconds > 0 || parts.Count == 0)
            parts.Add((duration.Seconds + duration.Milliseconds / 1000.0).ToString("0.###", CultureInfo.InvariantCulture) + "s");
        return string.Concat(parts);
    }
}
