using System.Net;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// The HTML report: one self-contained file with inline CSS and SVG, no script, font or anything else fetched, so it
/// can be mailed or opened offline.
/// </summary>
static class ReportPage
{
    const string Style = """
        :root { color-scheme: light; --ink: #1f2933; --muted: #64707d; --line: #e3e7ec; --card: #f6f8fa; }
        * { box-sizing: border-box; }
        body { margin: 0; padding: 24px 32px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
        h1 { font-size: 22px; margin: 0 0 4px; }
        h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        h3 { font-size: 14px; margin: 0 0 4px; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
        .muted { color: var(--muted); }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 150px; }
        .card .value { font-size: 20px; font-weight: 600; }
        .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
        .legend { display: flex; gap: 16px; flex-wrap: wrap; font-size: 12px; color: var(--muted); margin: 4px 0 0 56px; }
        .legend span::before { content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 5px; border-radius: 2px; background: var(--swatch); vertical-align: -1px; }
        .metrics { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px 24px; }
        .metric { border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
        svg { display: block; max-width: 100%; height: auto; }
        svg .grid { stroke: var(--line); stroke-width: 1; }
        svg .axis { fill: var(--muted); font-size: 11px; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { color: var(--muted); font-weight: 600; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.t { white-space: nowrap; font-variant-numeric: tabular-nums; }
        code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; word-break: break-word; }
        .level { font-weight: 600; color: #fff; border-radius: 4px; padding: 0 5px; font-size: 11px; }
        footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
        """;

    public static void Write(TextWriter html, ReportData data, TimeFormat time)
    {
        var statistics = data.Statistics;
        var errors = statistics.ByLevel.Where(g => g.Key >= LogEventLevel.Error).Sum(g => g.Count);
        var title = $"{Path.GetFileName(data.DatabasePath)}: sqlite-logs report";

        html.WriteLine("<!DOCTYPE html>");
        html.WriteLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.WriteLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.WriteLine($"<title>{E(title)}</title>");
        html.WriteLine($"<style>{Style}</style></head><body>");
        html.WriteLine($"<h1>{E(title)}</h1>");
        html.WriteLine($"<div class=\"muted\">{E(data.DatabasePath)} · {Range(statistics, time)}</div>");

        html.WriteLine("<div class=\"cards\">");
        Card(html, "Events", Numbers.Count(statistics.LogCount), "logs");
        Card(html, "Errors and fatals", Numbers.Count(errors), "errors");
        Card(html, "Metric values", Numbers.Count(statistics.MetricCount), "metrics");
        Card(html, "Events per second", statistics.LogsPerSecond is { } rate ? Numbers.Value(rate) : "-", "rate");
        Card(html, "File size", $"{Numbers.Bytes(data.Size.FileBytes)} + WAL {Numbers.Bytes(data.Size.WalBytes)}", "size");
        html.WriteLine("</div>");

        var per = data.BucketSize == MetricBucketSize.Minute ? "minute" : "hour";
        html.WriteLine($"<h2>Events per level, per {per}</h2>");
        html.WriteLine($"<figure id=\"levels\" style=\"margin:0\">{SvgChart.StackedBars(data.Levels, data.BucketSize, time)}</figure>");
        html.Write("<div class=\"legend\">");
        foreach (var level in SvgChart.Levels.Reverse())
            html.Write($"<span style=\"--swatch:{SvgChart.LevelColour(level)}\">{level}</span>");
        html.WriteLine("</div>");

        html.WriteLine($"<h2>Metrics: p50 and p95 per {per}</h2>");
        if (data.Metrics.Count == 0)
            html.WriteLine("<p class=\"muted\">No metric values in this range.</p>");
        html.WriteLine("<div class=\"metrics\">");
        foreach (var series in data.Metrics)
        {
            var overall = series.Overall;
            html.WriteLine($"<div class=\"metric\" data-metric=\"{E(series.Name)}\"><h3>{E(series.Name)}</h3>");
            html.WriteLine($"<div class=\"muted\">{Numbers.Count(overall.Count)} values · min {Numbers.Value(overall.Minimum)} · " +
                           $"avg {Numbers.Value(overall.Average)} · p50 {Numbers.Value(overall.P50)} · p95 {Numbers.Value(overall.P95)} · " +
                           $"p99 {Numbers.Value(overall.P99)} · max {Numbers.Value(overall.Maximum)}</div>");
            html.WriteLine(SvgChart.Lines(series, data.BucketSize, time));
            html.WriteLine($"<div class=\"legend\"><span style=\"--swatch:{SvgChart.P50Colour}\">p50</span>" +
                           $"<span style=\"--swatch:{SvgChart.P95Colour}\">p95</span></div></div>");
        }

        html.WriteLine("</div>");

        html.WriteLine("<h2>Top message templates</h2>");
        html.WriteLine("<table id=\"templates\"><tr><th>Message template</th><th>Events</th><th>Share</th></tr>");
        foreach (var template in data.Templates)
            html.WriteLine($"<tr><td><code>{E(template.Key)}</code></td><td class=\"n\">{Numbers.Count(template.Count)}</td>" +
                           $"<td class=\"n\">{Numbers.Percent(template.Percentage)}</td></tr>");
        html.WriteLine("</table>");

        html.WriteLine("<h2>Top exceptions</h2>");
        if (data.Exceptions.Count == 0)
            html.WriteLine("<p class=\"muted\">No exceptions in this range.</p>");
        else
        {
            html.WriteLine("<table id=\"exceptions\"><tr><th>Exception</th><th>Events</th><th>Last seen</th></tr>");
            foreach (var exception in data.Exceptions)
                html.WriteLine($"<tr><td><code>{E(exception.FirstLine)}</code></td><td class=\"n\">{Numbers.Count(exception.Count)}</td>" +
                               $"<td class=\"t\">{E(time.Format(exception.LastSeen))}</td></tr>");
            html.WriteLine("</table>");
        }

        html.WriteLine("<h2>Recent errors</h2>");
        if (data.RecentErrors.Count == 0)
            html.WriteLine("<p class=\"muted\">No errors in this range.</p>");
        else
        {
            html.WriteLine("<table id=\"errors\"><tr><th>Time</th><th>Level</th><th>Source context</th><th>Message</th></tr>");
            foreach (var error in data.RecentErrors)
            {
                var exception = error.Exception is { } text ? $"<br><code class=\"muted\">{E(text.Split('\n', 2)[0].TrimEnd())}</code>" : "";
                html.WriteLine($"<tr data-id=\"{error.Id}\"><td class=\"t\">{E(time.Format(error.Timestamp))}</td>" +
                               $"<td><span class=\"level\" style=\"background:{SvgChart.LevelColour(error.Level)}\">{LevelName.Short(error.Level)}</span></td>" +
                               $"<td>{E(error.SourceContext ?? "")}</td><td>{E(error.Message)}{exception}</td></tr>");
            }

            html.WriteLine("</table>");
        }

        html.WriteLine($"<footer>Written by sqlite-logs at {E(time.Format(data.GeneratedAt))} from Serilog.Sinks.SqliteWorker's database.</footer>");
        html.WriteLine("</body></html>");
    }

    static void Card(TextWriter html, string label, string value, string id) =>
        html.WriteLine($"<div class=\"card\" id=\"card-{id}\"><div class=\"label\">{E(label)}</div><div class=\"value\">{E(value)}</div></div>");

    static string Range(DatabaseStatistics statistics, TimeFormat time) =>
        statistics is { FirstTimestamp: { } first, LastTimestamp: { } last }
            ? $"{E(time.Format(first))} to {E(time.Format(last))} ({E(Duration.Format(last - first))})"
            : "no rows in this range";

    static string E(string text) => WebUtility.HtmlEncode(text);
}
