using System.Globalization;
using System.Net;
using System.Text;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// The report's charts as inline SVG, drawn here so that the page needs no script or library. Every bar and point carries
/// its numbers in <c>data-</c> attributes (start in UTC ISO 8601), which the tests compare with the query helper's.
/// </summary>
static class SvgChart
{
    const int BarsWidth = 1000;
    const int LinesWidth = 560;
    const int Left = 56;
    const int Right = 12;
    const int Top = 12;
    const int Bottom = 28;

    // Buckets are drawn one per slot, empty ones included, up to this many; past it only the buckets with rows are drawn.
    const int MaxSlots = 2000;

    // Up to this long a range is drawn per minute (at most 360 bars); longer ones per hour.
    static readonly TimeSpan MinuteBucketsUpTo = TimeSpan.FromHours(6);

    public static readonly LogEventLevel[] Levels = Enum.GetValues<LogEventLevel>();

    public static MetricBucketSize ChooseBucketSize(TimeSpan span) =>
        span <= MinuteBucketsUpTo ? MetricBucketSize.Minute : MetricBucketSize.Hour;

    /// <summary>
    /// A chart as an SVG document of its own, with the axis and grid styles the report's stylesheet gives it, for an
    /// <c>img</c> element: an image runs no script and loads nothing.
    /// </summary>
    public static string Standalone(string svg)
    {
        var end = svg.IndexOf('>', StringComparison.Ordinal) + 1;
        return svg[..end] + "<style>.grid{stroke:#e3e7ec;stroke-width:1}.axis{fill:#64707d;font:11px system-ui,sans-serif}</style>" + svg[end..];
    }

    public static string LevelColour(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "#c3c9d2",
        LogEventLevel.Debug => "#8fa3b8",
        LogEventLevel.Information => "#3f7fc4",
        LogEventLevel.Warning => "#f0a630",
        LogEventLevel.Error => "#d64541",
        _ => "#6b1414",
    };

    public const string P50Colour = "#3f7fc4";
    public const string P95Colour = "#d64541";

    /// <summary>Events per level per bucket, stacked from the least severe level at the bottom to the most severe on top.</summary>
    public static string StackedBars(IReadOnlyList<LevelBucket> counts, MetricBucketSize bucketSize, TimeFormat time, int height = 240)
    {
        const int Width = BarsWidth;
        var byStart = counts.GroupBy(c => c.Start).ToDictionary(g => g.Key, g => g.ToList());
        var slots = Slots(byStart.Keys.Order().ToList(), bucketSize);
        var svg = Open(Width, height, "Events per level over time");
        if (slots.Count == 0)
            return Empty(svg, Width, height);

        var plotHeight = height - Top - Bottom;
        // Small counts round up to a multiple of 4, so that the four grid lines fall on whole numbers.
        var highest = byStart.Values.Max(b => b.Sum(c => c.Count));
        var max = highest < 40 ? Math.Ceiling(Math.Max(highest, 1) / 4.0) * 4 : NiceCeiling(highest);
        YAxis(svg, Width, height, max, v => Numbers.Count((long)v));

        var slotWidth = (double)(Width - Left - Right) / slots.Count;
        var gap = slotWidth > 4 ? 1 : 0;
        for (var i = 0; i < slots.Count; i++)
        {
            if (!byStart.TryGetValue(slots[i], out var bucket))
                continue;
            var x = Left + i * slotWidth;
            double y = height - Bottom;
            foreach (var count in bucket.OrderBy(c => c.Level))
            {
                var h = count.Count / max * plotHeight;
                y -= h;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"bar\" x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(Math.Max(slotWidth - gap, 0.5))}\" height=\"{F(h)}\" " +
                    $"fill=\"{LevelColour(count.Level)}\" data-start=\"{Iso(count.Start)}\" data-level=\"{count.Level}\" data-count=\"{count.Count}\">" +
                    $"<title>{Encode(time.FormatMinute(count.Start))}  {count.Level}: {Numbers.Count(count.Count)}</title></rect>");
            }
        }

        XAxis(svg, Width, height, slots, time);
        return Close(svg);
    }

    /// <summary>A metric's p50 and p95 per bucket, as two lines over time.</summary>
    public static string Lines(MetricSeries series, MetricBucketSize bucketSize, TimeFormat time, int height = 180)
    {
        const int Width = LinesWidth;
        var svg = Open(Width, height, $"{series.Name}: p50 and p95 over time");
        var buckets = series.Buckets;
        if (buckets.Count == 0)
            return Empty(svg, Width, height);

        var plotHeight = height - Top - Bottom;
        var max = NiceCeiling(buckets.Max(b => Math.Max(b.Summary.P95 ?? 0, b.Summary.P50 ?? 0)));
        YAxis(svg, Width, height, max, v => Numbers.Value(v));

        var step = Step(bucketSize);
        var first = buckets[0].Start;
        var slotCount = Math.Max((buckets[^1].Start - first) / step + 1, 1);
        var slotWidth = (Width - Left - Right) / slotCount;
        double X(MetricBucket b) => Left + ((b.Start - first) / step + 0.5) * slotWidth;
        double Y(double? v) => height - Bottom - (v ?? 0) / max * plotHeight;

        foreach (var (name, colour, value) in new (string, string, Func<MetricSummary, double?>)[]
                 {
                     ("p95", P95Colour, s => s.P95),
                     ("p50", P50Colour, s => s.P50),
                 })
        {
            svg.Append($"<polyline class=\"{name}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"");
            svg.AppendJoin(' ', buckets.Select(b => $"{F(X(b))},{F(Y(value(b.Summary)))}"));
            svg.Append("\"/>");
            foreach (var bucket in buckets)
                svg.Append(CultureInfo.InvariantCulture,
                    $"<circle class=\"{name}\" cx=\"{F(X(bucket))}\" cy=\"{F(Y(value(bucket.Summary)))}\" r=\"2.5\" fill=\"{colour}\" " +
                    $"data-start=\"{Iso(bucket.Start)}\" data-value=\"{R(value(bucket.Summary))}\" data-count=\"{bucket.Summary.Count}\">" +
                    $"<title>{Encode(time.FormatMinute(bucket.Start))}  {name} {Numbers.Value(value(bucket.Summary))} " +
                    $"({Numbers.Count(bucket.Summary.Count)} values)</title></circle>");
        }

        var slots = Enumerable.Range(0, (int)Math.Min(slotCount, MaxSlots)).Select(i => first + step * i).ToList();
        XAxis(svg, Width, height, slots, time);
        return Close(svg);
    }

    /// <summary>Every bucket start from the first to the last, so that quiet minutes show as gaps.</summary>
    static List<DateTimeOffset> Slots(List<DateTimeOffset> starts, MetricBucketSize bucketSize)
    {
        if (starts.Count == 0)
            return starts;
        var step = Step(bucketSize);
        var count = (starts[^1] - starts[0]) / step + 1;
        if (count > MaxSlots)
            return starts;
        return Enumerable.Range(0, (int)count).Select(i => starts[0] + step * i).ToList();
    }

    static TimeSpan Step(MetricBucketSize bucketSize) => bucketSize == MetricBucketSize.Minute ? TimeSpan.FromMinutes(1) : TimeSpan.FromHours(1);

    static StringBuilder Open(int width, int height, string label) => new StringBuilder()
        .Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"100%\" role=\"img\" aria-label=\"{Encode(label)}\">");

    static string Empty(StringBuilder svg, int width, int height) =>
        Close(svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{width / 2}\" y=\"{height / 2}\" text-anchor=\"middle\" class=\"axis\">No data in this range</text>"));

    static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    static void YAxis(StringBuilder svg, int width, int height, double max, Func<double, string> label)
    {
        var plotHeight = height - Top - Bottom;
        for (var i = 0; i <= 4; i++)
        {
            var y = height - Bottom - plotHeight * i / 4.0;
            svg.Append(CultureInfo.InvariantCulture,
                $"<line class=\"grid\" x1=\"{Left}\" x2=\"{width - Right}\" y1=\"{F(y)}\" y2=\"{F(y)}\"/>" +
                $"<text class=\"axis\" x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{Encode(label(max * i / 4))}</text>");
        }
    }

    static void XAxis(StringBuilder svg, int width, int height, IReadOnlyList<DateTimeOffset> slots, TimeFormat time)
    {
        var slotWidth = (double)(width - Left - Right) / slots.Count;
        // About one label per 200 units of width; after the first, a chart within one day shows the clock time only.
        var every = Math.Max(1, (int)Math.Ceiling(slots.Count / Math.Max(width / 200.0, 1)));
        var oneDay = time.SameDay(slots[0], slots[^1]);
        for (var i = 0; i < slots.Count; i += every)
        {
            var x = Left + (i + 0.5) * slotWidth;
            svg.Append(CultureInfo.InvariantCulture,
                $"<text class=\"axis\" x=\"{F(x)}\" y=\"{height - 8}\" text-anchor=\"middle\">{Encode(i > 0 && oneDay ? time.FormatClock(slots[i]) : time.FormatMinute(slots[i]))}</text>");
        }
    }

    /// <summary>1, 2 or 5 times a power of ten, at or above <paramref name="value"/>, so that the axis labels are round.</summary>
    internal static double NiceCeiling(double value)
    {
        if (value <= 0)
            return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1.0, 2.0, 2.5, 5.0, 10.0 })
        {
            if (step * power >= value)
                return step * power;
        }

        return 10 * power;
    }

    static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    static string R(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    static string Encode(string text) => WebUtility.HtmlEncode(text);
}
