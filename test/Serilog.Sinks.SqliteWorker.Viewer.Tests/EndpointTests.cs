using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;
using Serilog.Sinks.SqliteWorker.Viewer.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Viewer.Tests;

/// <summary>The viewer's endpoints over HTTP: what they answer, compared with the query helper, and the limits they keep.</summary>
public sealed class EndpointTests
{
    readonly TempFolder _folder = new();
    string _path = "";
    ViewerHost? _host;

    HttpClient Client => _host!.Client;

    [OneTimeSetUp]
    public async Task ServeAFile()
    {
        _path = _folder.File("endpoints.db");
        SampleEvents.Write(_path);
        _host = await ViewerHost.StartAsync(_path, options => options.AllowAnonymous = true);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_host != null)
            await _host.DisposeAsync();
        _folder.Dispose();
    }

    [TestCase("", null)]
    [TestCase("?min=Warning", "min")]
    [TestCase("?level=ERR&source=Shop.Orders", "level")]
    [TestCase("?q=slow&since=2h", "q")]
    [TestCase("?prop=Customer=c1", "prop")]
    [TestCase("?trace=4BF92F3577B34DA6A3CE929D0E0E4736&min=Debug", "trace")]
    public async Task TheEventsAreTheHelpersForTheSameFilter(string query, string? _)
    {
        var now = DateTimeOffset.UtcNow;
        var filter = query switch
        {
            "" => new LogFilter(),
            "?min=Warning" => new LogFilter { MinimumLevel = LogEventLevel.Warning },
            "?level=ERR&source=Shop.Orders" => new LogFilter { Level = LogEventLevel.Error, SourceContext = "Shop.Orders" },
            "?q=slow&since=2h" => new LogFilter { MessageContains = "slow", Since = now.AddHours(-2) },
            "?prop=Customer=c1" => new LogFilter { PropertyPath = "Customer", PropertyValue = "c1" },
            _ => new LogFilter { TraceId = SampleEvents.TraceId.ToHexString(), MinimumLevel = LogEventLevel.Debug },
        };
        using var db = SqliteWorkerDatabase.Open(_path);
        var expected = db.GetLogs(filter, SqliteWorkerViewerOptions.DefaultPageSize);
        expected.Should().NotBeEmpty();

        using var page = JsonDocument.Parse(await Client.GetStringAsync("logs/api/logs" + query));
        var rows = page.RootElement.GetProperty("rows").EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("id").GetInt64()).Should().Equal(expected.Select(r => r.Id));
        rows.Select(r => r.GetProperty("message").GetString()).Should().Equal(expected.Select(r => r.Message));
        rows.Select(r => r.GetProperty("level").GetString()).Should().Equal(expected.Select(r => r.Level.ToString()));
    }

    [Test]
    public async Task OlderPagesFollowOnWithoutGapsOrRepeats()
    {
        using var db = SqliteWorkerDatabase.Open(_path);
        var all = db.GetLogs(limit: 1000).Select(r => r.Id).ToList();
        var seen = new List<long>();
        var address = "logs/api/logs?limit=40";
        while (true)
        {
            using var page = JsonDocument.Parse(await Client.GetStringAsync(address));
            seen.AddRange(page.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
            if (!page.RootElement.GetProperty("more").GetBoolean())
                break;
            address = $"logs/api/logs?limit=40&beforeId={page.RootElement.GetProperty("lastId").GetInt64()}" +
                      $"&beforeTime={Uri.EscapeDataString(page.RootElement.GetProperty("lastTime").GetString()!)}";
        }

        seen.Should().Equal(all).And.HaveCount(SampleEvents.LogCount);
    }

    [Test]
    public async Task ALimitAboveThePageSizeIsCutToIt()
    {
        using var page = JsonDocument.Parse(await Client.GetStringAsync("logs/api/logs?limit=100000"));
        page.RootElement.GetProperty("rows").GetArrayLength().Should().Be(SqliteWorkerViewerOptions.DefaultPageSize);
    }

    [Test]
    public async Task TheDetailIsTheHelpersRecord()
    {
        using var db = SqliteWorkerDatabase.Open(_path);
        var record = db.GetLogs(new LogFilter { Level = LogEventLevel.Error }, 1).Single();
        using var detail = JsonDocument.Parse(await Client.GetStringAsync($"logs/api/logs/{record.Id}"));
        var root = detail.RootElement;
        root.GetProperty("message").GetString().Should().Be(record.Message);
        root.GetProperty("template").GetString().Should().Be(record.MessageTemplate);
        root.GetProperty("exception").GetString().Should().Be(record.Exception).And.Contain("Payment declined");
        root.GetProperty("span").GetString().Should().Be(record.SpanId);
        root.GetProperty("properties").GetRawText().Should().Be(record.Properties.GetRawText());

        using var missing = await Client.GetAsync($"logs/api/logs/{long.MaxValue}");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [TestCase("?min=Loud", "min 'Loud' is not a Serilog level")]
    [TestCase("?since=yesterday-ish", "since 'yesterday-ish' is not a time")]
    [TestCase("?trace=xyz", "TraceId 'xyz' is not a W3C trace id")]
    [TestCase("?beforeId=12", "beforeId and beforeTime")]
    public async Task AFilterThatIsNotUnderstoodIsRefusedWithAMessage(string query, string message)
    {
        using var response = await Client.GetAsync("logs/api/logs" + query);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("error").GetString().Should().Contain(message);
    }

    [Test]
    public async Task ThePageAllowsOnlyItsOwnScriptAndNothingElsewhere()
    {
        using var response = await Client.GetAsync("logs/");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.Should().Contain("default-src 'none'").And.Contain("script-src 'self'").And.Contain("connect-src 'self'")
            .And.NotContain("unsafe-inline").And.NotContain("unsafe-eval").And.NotContain("http");
        response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");

        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("<script src=\"viewer.js\" defer></script>").And.NotContainAny("http://", "https://", " on", "<style");
        var script = await Client.GetStringAsync("logs/viewer.js");
        script.Should().NotContainAny("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function");
    }

    [Test]
    public async Task AChartIsAnSvgImageWithTheHelpersCounts()
    {
        using var response = await Client.GetAsync("logs/api/charts/levels.svg?min=Warning");
        response.Content.Headers.ContentType!.MediaType.Should().Be("image/svg+xml");
        var svg = await response.Content.ReadAsStringAsync();
        svg.Should().StartWith("<svg").And.NotContain("<script");

        using var db = SqliteWorkerDatabase.Open(_path);
        var counts = db.CountByLevelPerBucket(new LogFilter { MinimumLevel = LogEventLevel.Warning }, MetricBucketSize.Minute);
        var bars = System.Text.RegularExpressions.Regex.Matches(svg, "data-level=\"(\\w+)\" data-count=\"(\\d+)\"")
            .Select(m => (m.Groups[1].Value, long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
        bars.Should().Equal(counts.Select(c => (c.Level.ToString(), c.Count))).And.NotBeEmpty();
    }

    [Test]
    public async Task ServingLeavesTheFileAsItWas()
    {
        var before = await Fingerprint();
        foreach (var path in new[] { "logs/", "logs/viewer.js", "logs/viewer.css", "logs/api/logs?min=Debug", "logs/api/logs/3", "logs/api/metrics",
                     "logs/api/charts/levels.svg", "logs/api/charts/metric.svg?name=response_time" })
        {
            using var response = await Client.GetAsync(path);
            response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        }

        using (var live = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        await using (var stream = await Client.GetStreamAsync("logs/api/live", live.Token))
        {
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(live.Token) is { } line && !line.StartsWith("event: page", StringComparison.Ordinal))
            {
            }
        }

        (await Fingerprint()).Should().Be(before, "the viewer never writes to the file");
        File.Exists(_path + "-journal").Should().BeFalse();
    }

    async Task<string> Fingerprint()
    {
        var info = new FileInfo(_path);
        await using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return $"{Convert.ToHexString(await SHA256.HashDataAsync(file))} {info.Length} {info.LastWriteTimeUtc:O}";
    }
}
