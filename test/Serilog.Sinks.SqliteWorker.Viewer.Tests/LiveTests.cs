using System.Net;
using System.Text.Json;
using Serilog.Sinks.SqliteWorker.Viewer.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Viewer.Tests;

/// <summary>The live stream (server-sent events) while the sink writes, and the limits every request keeps.</summary>
public sealed class LiveTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    readonly TempFolder _folder = new();

    [OneTimeTearDown]
    public void DeleteFiles() => _folder.Dispose();

    [Test]
    public async Task TheStreamSendsThePageThenEachNewEventAndResumesAfterTheLastIdSeen()
    {
        var path = _folder.File("live.db");
        SampleEvents.Write(path);
        using var logger = SinkDatabase.CreateLogger(path);
        await using var host = await ViewerHost.StartAsync(path, options => options.AllowAnonymous = true);
        using var timeout = new CancellationTokenSource(Patience);

        long lastId;
        await using (var stream = await host.Client.GetStreamAsync("logs/api/live?min=Warning", timeout.Token))
        {
            var events = new ServerSentEvents(stream);
            var page = await events.NextAsync(timeout.Token);
            page.Name.Should().Be("page");
            JsonDocument.Parse(page.Data).RootElement.GetProperty("rows").GetArrayLength().Should().BeGreaterThan(0);

            logger.Information("Not shown: below the filter's level");
            logger.Warning("First {Number}", 1);
            var first = await events.NextAsync(timeout.Token);
            first.Name.Should().Be("log");
            JsonDocument.Parse(first.Data).RootElement.GetProperty("message").GetString().Should().Be("First 1");
            lastId = long.Parse(first.Id!, System.Globalization.CultureInfo.InvariantCulture);
            logger.Error("Second {Number}", 2);
            var second = await events.NextAsync(timeout.Token);
            JsonDocument.Parse(second.Data).RootElement.GetProperty("message").GetString().Should().Be("Second 2");
        }

        // A browser that lost the stream sends the last id it saw, and gets what came after it, without a page.
        using var request = new HttpRequestMessage(HttpMethod.Get, "logs/api/live?min=Warning");
        request.Headers.Add("Last-Event-ID", lastId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var resumed = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var again = new ServerSentEvents(await resumed.Content.ReadAsStreamAsync(timeout.Token));
        var next = await again.NextAsync(timeout.Token);
        next.Name.Should().Be("log");
        JsonDocument.Parse(next.Data).RootElement.GetProperty("message").GetString().Should().Be("Second 2");
    }

    [Test]
    public async Task TheStreamFollowsTheFileAcrossARestartOfTheApp()
    {
        var path = _folder.File("restart.db");
        SampleEvents.Write(path);
        await using var host = await ViewerHost.StartAsync(path, options => options.AllowAnonymous = true);
        using var timeout = new CancellationTokenSource(Patience);
        await using var stream = await host.Client.GetStreamAsync("logs/api/live", timeout.Token);
        var events = new ServerSentEvents(stream);
        (await events.NextAsync(timeout.Token)).Name.Should().Be("page");

        foreach (var run in new[] { "first", "second" })
        {
            // Each run is a new logger on the same file, as an app that stops and starts again makes.
            using (var logger = SinkDatabase.CreateLogger(path))
                logger.Information("Started the {Run} time", run);
            var started = await events.NextAsync(timeout.Token);
            JsonDocument.Parse(started.Data).RootElement.GetProperty("message").GetString().Should().Be($"Started the \"{run}\" time");
        }
    }

    [Test]
    public async Task LiveViewsPastTheLimitAreRefused()
    {
        var path = _folder.File("views.db");
        SampleEvents.Write(path);
        await using var host = await ViewerHost.StartAsync(path, options =>
        {
            options.AllowAnonymous = true;
            options.MaxLiveViews = 1;
        });
        using var timeout = new CancellationTokenSource(Patience);

        await using (var open = await host.Client.GetStreamAsync("logs/api/live", timeout.Token))
        {
            (await new ServerSentEvents(open).NextAsync(timeout.Token)).Name.Should().Be("page");

            using var refused = await host.Client.GetAsync("logs/api/live", timeout.Token);
            refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await refused.Content.ReadAsStringAsync(timeout.Token)).Should().Contain("1 live views are open already");
        }

        // A view that was closed gives its place back once the server sees the connection end.
        while (true)
        {
            using var again = await host.Client.GetAsync("logs/api/live", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (again.StatusCode == HttpStatusCode.OK)
                break;
            again.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            await Task.Delay(20, timeout.Token);
        }
    }

    [Test]
    public async Task AQueryPastTheTimeoutIsStoppedWithAMessage()
    {
        var path = _folder.File("timeout.db");
        SampleEvents.Write(path);
        // About 300,000 rows, so that a text search the index cannot answer runs far longer than the timeout.
        SampleEvents.Double(path, times: 11);
        using (var db = Query.SqliteWorkerDatabase.Open(path))
            db.GetStatistics().LogCount.Should().Be(SampleEvents.LogCount << 11);
        await using var host = await ViewerHost.StartAsync(path, options =>
        {
            options.AllowAnonymous = true;
            options.QueryTimeout = TimeSpan.FromMilliseconds(1);
        });

        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await host.Client.GetAsync("logs/api/logs?q=never-logged");
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, $"{watch.ElapsedMilliseconds} ms: {await response.Content.ReadAsStringAsync()}");
        (await response.Content.ReadAsStringAsync()).Should().Contain("took longer than");
    }

    [Test]
    public async Task AFileTheSinkHasNotMadeYetIsShownOnceItIs()
    {
        var path = _folder.File("later.db");
        await using var host = await ViewerHost.StartAsync(path, options => options.AllowAnonymous = true);

        using (var early = await host.Client.GetAsync("logs/api/logs"))
        {
            early.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await early.Content.ReadAsStringAsync()).Should().Contain("later.db");
        }

        SampleEvents.Write(path);
        using var later = await host.Client.GetAsync("logs/api/logs");
        later.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>Reads server-sent events one at a time: the <c>id</c>, <c>event</c> and <c>data</c> fields up to a blank line.</summary>
    sealed class ServerSentEvents(Stream stream)
    {
        readonly StreamReader _reader = new(stream);

        public async Task<(string? Id, string Name, string Data)> NextAsync(CancellationToken cancellationToken)
        {
            string? id = null, name = null, data = null;
            while (await _reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    if (name != null)
                        return (id, name, data ?? "");
                    continue;
                }

                if (line.StartsWith("id: ", StringComparison.Ordinal))
                    id = line[4..];
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                    name = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    data = line[6..];
            }

            throw new EndOfStreamException("The stream ended.");
        }
    }
}
