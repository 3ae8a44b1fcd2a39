// The live viewer's costs on a large file: the first page, the charts, the time from the sink's commit to the event
// reaching a live view, and the CPU an idle live view takes.
//
//   dotnet run -c Release --project test/Serilog.Sinks.SqliteWorker.Viewer.Benchmarks -- [--database PATH]
//       [--logs N] [--runs N] [--arrivals N] [--idle SECONDS] [--idle-only] [--chromium PATH] [--regenerate]
//
// The database (1M logs and 200k metrics by default) is generated once and reused unless --regenerate.
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Sinks.SqliteWorker;
using Serilog.Sinks.SqliteWorker.Query.Benchmarks;
using Serilog.Sinks.SqliteWorker.Viewer;

string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var path = Path.GetFullPath(Option("--database", "artifacts/viewer-bench/viewer.db"));
var logs = int.Parse(Option("--logs", "1000000"), CultureInfo.InvariantCulture);
var runs = int.Parse(Option("--runs", "21"), CultureInfo.InvariantCulture);
var arrivals = int.Parse(Option("--arrivals", "20"), CultureInfo.InvariantCulture);
var idleSeconds = int.Parse(Option("--idle", "30"), CultureInfo.InvariantCulture);
var requests = !args.Contains("--idle-only");

if (args.Contains("--regenerate") || !File.Exists(path))
{
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        File.Delete(file);
    Console.WriteLine($"Generating {logs:N0} logs and {logs / 5:N0} metrics in {path} ...");
    new DatabaseGenerator(path, logs, logs / 5, DateTimeOffset.UtcNow).Generate();
}

Console.WriteLine($"Database: {path}, {new FileInfo(path).Length / (1024.0 * 1024):N0} MiB; {Environment.ProcessorCount} cores; " +
                  $"{runs} runs per request after one warm-up; medians, with min and max, in milliseconds.");

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
await using var app = builder.Build();
// Room for the runs below, which open and close live views one after another faster than the server notices each close.
app.MapSqliteWorkerViewer("/", path, options =>
{
    options.AllowAnonymous = true;
    options.MaxLiveViews = 64;
});
await app.StartAsync();
using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single().TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(2) };

Console.WriteLine();
Console.WriteLine("Request                                              median      min      max");
foreach (var (label, address) in requests ? new[]
         {
             ("The page (HTML)", ""),
             ("First page of events, no filter", "api/logs"),
             ("First page, min=Warning", "api/logs?min=Warning"),
             ("First page, q=timeout (a text search)", "api/logs?q=timeout"),
             ("First page, source=Shop.Email.Mailer", "api/logs?source=Shop.Email.Mailer"),
             ("First page, prop=StatusCode=500", "api/logs?prop=StatusCode=500"),
             ("One event's detail", "api/logs/500000"),
             ("Events per level chart, whole file (SVG)", "api/charts/levels.svg"),
             ("Events per level chart, since=1h", "api/charts/levels.svg?since=1h"),
             ("Metric names", "api/metrics"),
             ("Metric chart, response_time, whole file", "api/charts/metric.svg?name=response_time"),
         } : [])
{
    var times = new List<double>();
    for (var run = 0; run <= runs; run++)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(address);
        await response.Content.ReadAsByteArrayAsync();
        watch.Stop();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{address}: {(int)response.StatusCode}");
        if (run > 0)
            times.Add(watch.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    Console.WriteLine($"{label,-50} {times[times.Count / 2],8:F1} {times[0],8:F1} {times[^1],8:F1}");
}

// What the page itself asks first: the live stream, whose first message is the newest page.
if (requests)
{
    var times = new List<double>();
    for (var run = 0; run <= runs; run++)
    {
        using var stop = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        await using (var stream = await client.GetStreamAsync("api/live", stop.Token))
        {
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(stop.Token) is { } line && !line.StartsWith("data: {\"rows\"", StringComparison.Ordinal))
            {
            }
        }

        watch.Stop();
        await stop.CancelAsync();
        if (run > 0)
            times.Add(watch.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    Console.WriteLine($"{"Live view opened, to its first page of events",-50} {times[times.Count / 2],8:F1} {times[0],8:F1} {times[^1],8:F1}");
}

// Commit to arrival: the sink reports each committed batch; the live view sends the event when its next poll finds it.
Console.WriteLine();
var committed = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
var logged = new System.Collections.Concurrent.ConcurrentQueue<string>();
using (var logger = new LoggerConfiguration()
           .WriteTo.SqliteWorker(new SqliteWorkerSinkOptions
           {
               DatabasePath = path,
               OnBatchWritten = _ =>
               {
                   var now = Stopwatch.GetTimestamp();
                   while (logged.TryDequeue(out var text))
                       committed[text] = now;
               },
           })
           .CreateLogger())
{
    using var stop = new CancellationTokenSource();
    await using var stream = await client.GetStreamAsync("api/live?q=Arrival", stop.Token);
    using var reader = new StreamReader(stream);
    var delays = new List<double>();
    for (var i = 0; i < arrivals; i++)
    {
        var text = $"Arrival {i} {Guid.NewGuid():n}";
        logged.Enqueue(text);
        logger.Information(text);
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || !line.Contains(text, StringComparison.Ordinal))
                continue;
            var arrived = Stopwatch.GetTimestamp();
            delays.Add(Stopwatch.GetElapsedTime(committed[text], arrived).TotalMilliseconds);
            break;
        }
    }

    delays.Sort();
    Console.WriteLine($"Commit to live view (poll 1 s), {arrivals} events one at a time: median {delays[delays.Count / 2]:F0} ms, " +
                      $"min {delays[0]:F0} ms, max {delays[^1]:F0} ms");
}

// Commit to screen: the same, in headless Chromium, to the moment the page has put the row in its list.
if (args.SkipWhile(a => a != "--chromium").Skip(1).FirstOrDefault() is { } chromium)
{
    var onScreen = new List<double>();
    await using var browser = await Serilog.Sinks.SqliteWorker.Viewer.Tests.Support.Browser.LaunchAsync(chromium);
    await browser.OpenAsync(client.BaseAddress + "?q=OnScreen");
    await browser.WaitForAsync("document.getElementById('status').textContent === 'live'");
    var stamps = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
    var pending = new System.Collections.Concurrent.ConcurrentQueue<string>();
    using var logger = new LoggerConfiguration()
        .WriteTo.SqliteWorker(new SqliteWorkerSinkOptions
        {
            DatabasePath = path,
            OnBatchWritten = _ =>
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                while (pending.TryDequeue(out var text))
                    stamps[text] = now;
            },
        })
        .CreateLogger();
    for (var i = 0; i < arrivals; i++)
    {
        var text = $"OnScreen {i} {Guid.NewGuid():n}";
        // The page notes the wall-clock time at which the row is in its list.
        await browser.EvaluateAsync($$"""
            window.seen = new Promise(resolve => {
              const observer = new MutationObserver(() => {
                const row = document.querySelector('#events tbody tr');
                if (row && row.querySelector('td.m').textContent === '{{text}}') { observer.disconnect(); resolve(Date.now()); }
              });
              observer.observe(document.querySelector('#events tbody'), { childList: true });
            }); 0
            """);
        pending.Enqueue(text);
        logger.Information(text);
        var shownAt = (await browser.EvaluateAsync("window.seen"))!.GetValue<long>();
        onScreen.Add(shownAt - stamps[text]);
    }

    onScreen.Sort();
    Console.WriteLine($"Commit to screen in Chromium (poll 1 s), {arrivals} events one at a time: median {onScreen[onScreen.Count / 2]:F0} ms, " +
                      $"min {onScreen[0]:F0} ms, max {onScreen[^1]:F0} ms");
}

// Idle: live views open, nothing written. The process's CPU time over the wait, as a share of one core. The last case
// is a view that resumed after the file's first row with a filter nothing matches: every row since is for it to pass over.
foreach (var (label, address, resumeAfter) in new (string, string?, string?)[]
         {
             ("no live view (the server alone)", null, null),
             ("one live view, no filter", "api/live", null),
             ("one live view, q=never-logged text", "api/live?q=never-logged-text", null),
             ("one live view, q=never-logged text, resumed after id 1", "api/live?q=never-logged-text", "1"),
         })
{
    using var stop = new CancellationTokenSource();
    Stream? stream = null;
    if (address != null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        if (resumeAfter != null)
            request.Headers.Add("Last-Event-ID", resumeAfter);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        stream = await response.Content.ReadAsStreamAsync(stop.Token);
        using var reader = new StreamReader(stream, leaveOpen: true);
        // The stream starts with its retry line; a fresh view then sends its page.
        while (await reader.ReadLineAsync(stop.Token) is { } line && !line.StartsWith(resumeAfter == null ? "event: page" : "retry:", StringComparison.Ordinal))
        {
        }
    }

    var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
    process.Refresh();
    var cpu = process.TotalProcessorTime - cpuBefore;
    Console.WriteLine($"Idle, {label}: {cpu.TotalMilliseconds / watch.Elapsed.TotalSeconds:F2} ms of CPU per second " +
                      $"({cpu.TotalMilliseconds / watch.Elapsed.TotalMilliseconds * 100:F3}% of one core) over {idleSeconds} s");
    await stop.CancelAsync();
    if (stream != null)
        await stream.DisposeAsync();
}

await app.StopAsync();
