using System.Globalization;
using System.Text.RegularExpressions;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;
using Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests;

/// <summary>
/// The HTML report, opened in headless Chromium: it renders without errors, needs nothing from outside, and its charts
/// and tables show the query helper's numbers for the same questions.
/// </summary>
[Category(Needs.Chromium)]
public sealed partial class ReportTests
{
    static readonly TempFolder Folder = new();
    static string? _report;
    static string? _dom;

    [OneTimeSetUp]
    public async Task WriteTheReportAndOpenItInChromium()
    {
        _report = Folder.File("report.html");
        var result = await SqliteLogs.RunAsync("report", ToolDatabase.Path, "-o", _report, "--utc");
        result.ExitCode.Should().Be(0, result.Error);
        result.Output.Should().StartWith($"Wrote {_report}");
        (_dom, _) = await Chromium.RunAsync(_report, "--dump-dom");
    }

    [OneTimeTearDown]
    public void DeleteTheReport() => Folder.Dispose();

    static string Dom => _dom!;

    [Test]
    public async Task ItRendersWithoutErrorsAndTakesAScreenshot()
    {
        var screenshot = Folder.File("report.png");
        var (_, log) = await Chromium.RunAsync(_report!, "--enable-logging=stderr", "--v=0", $"--screenshot={screenshot}", "--window-size=1280,2000");

        // Chromium logs page errors and console messages as "CONSOLE" lines; the page has none to log.
        log.Split('\n').Where(l => l.Contains("CONSOLE", StringComparison.Ordinal) || l.Contains("Uncaught", StringComparison.Ordinal))
            .Should().BeEmpty();
        var png = await File.ReadAllBytesAsync(screenshot);
        png.Take(8).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A);
        png.Length.Should().BeGreaterThan(20_000, "a blank page compresses to much less");
        TestContext.AddTestAttachment(screenshot, "The report as Chromium draws it");
    }

    [Test]
    public void ItIsSelfContained()
    {
        var html = File.ReadAllText(_report!);
        html.Should().NotContainAny("<script", "<link", "@import", "url(", "src=");
        Regex.Matches(html, "https?://[^\"]+").Select(m => m.Value).Distinct().Should().Equal("http://www.w3.org/2000/svg");
        Dom.Should().Contain("tool.db: sqlite-logs report");
    }

    [Test]
    public void TheLevelChartShowsTheHelpersCountsPerMinute()
    {
        using var db = SqliteWorkerDatabase.Open(ToolDatabase.Path);
        var expected = db.CountByLevelPerBucket(null, MetricBucketSize.Minute)
            .Select(b => (Iso(b.Start), b.Level.ToString(), b.Count)).ToArray();

        var bars = BarPattern().Matches(Dom).Select(m => (m.Groups["start"].Value, m.Groups["level"].Value, long.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture)));
        bars.Should().Equal(expected);
        expected.Sum(b => b.Count).Should().Be(ToolDatabase.LogCount);
    }

    [TestCase("response_time")]
    [TestCase("checkout_ms")]
    public void EachMetricChartShowsTheHelpersPercentilesPerMinute(string metric)
    {
        using var db = SqliteWorkerDatabase.Open(ToolDatabase.Path);
        var buckets = db.SummarizeMetricPerBucket(new MetricFilter { Name = metric }, MetricBucketSize.Minute);
        buckets.Should().HaveCountGreaterThan(50);

        var chart = Dom[Dom.IndexOf($"data-metric=\"{metric}\"", StringComparison.Ordinal)..];
        chart = chart[..chart.IndexOf("</svg>", StringComparison.Ordinal)];
        foreach (var (series, value) in new (string, Func<MetricSummary, double?>)[] { ("p50", s => s.P50), ("p95", s => s.P95) })
        {
            var points = PointPattern().Matches(chart).Where(m => m.Groups["series"].Value == series)
                .Select(m => (m.Groups["start"].Value, double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)));
            points.Should().Equal(buckets.Select(b => (Iso(b.Start), value(b.Summary)!.Value)));
        }
    }

    [Test]
    public void TheTablesShowTheHelpersTopTemplatesExceptionsAndRecentErrors()
    {
        using var db = SqliteWorkerDatabase.Open(ToolDatabase.Path);

        var templates = db.CountByMessageTemplate(top: 10);
        templates.Should().HaveCountGreaterThan(1);
        foreach (var template in templates)
            Dom.Should().Contain($"<code>{System.Net.WebUtility.HtmlEncode(template.Key)}</code></td><td class=\"n\">{template.Count}</td>");
        var exceptions = db.GetTopExceptions(top: 10);
        exceptions.Should().NotBeEmpty();
        foreach (var exception in exceptions)
            Dom.Should().Contain($"<code>{exception.FirstLine}</code></td><td class=\"n\">{exception.Count}</td>");
        var errors = db.GetLogs(new LogFilter { MinimumLevel = LogEventLevel.Error }, 20).Select(e => e.Id.ToString(CultureInfo.InvariantCulture));
        Regex.Matches(Dom, "<tr data-id=\"(\\d+)\"").Select(m => m.Groups[1].Value).Should().Equal(errors).And.NotBeEmpty();
        Dom.Should().Contain($"<div class=\"value\">{ToolDatabase.LogCount}</div>").And.Contain($"<div class=\"value\">{ToolDatabase.ErrorCount}</div>");
    }

    static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex("<rect class=\"bar\"[^>]*data-start=\"(?<start>[^\"]+)\" data-level=\"(?<level>[^\"]+)\" data-count=\"(?<count>\\d+)\"")]
    private static partial Regex BarPattern();

    [GeneratedRegex("<circle class=\"(?<series>p50|p95)\"[^>]*data-start=\"(?<start>[^\"]+)\" data-value=\"(?<value>[^\"]+)\"")]
    private static partial Regex PointPattern();
}
