using System.Data.SQLite;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Serilog;
using Serilog.Sinks.SqliteWorker.Forwarding;

// Forwarding throughput (rows/s from a file to a receiver) and the in-process forwarder's effect on the sink's drain
// (the time to write a burst of events into the file, with and without a forwarder following it), as medians.
// dotnet run -c Release --project test/Serilog.Sinks.SqliteWorker.Forwarding.Benchmarks -- [--rows N] [--events N] [--rounds N]
var rows = Argument("--rows", 100_000);
var events = Argument("--events", 300_000);
var rounds = Argument("--rounds", 3);
var folder = Path.Combine(Path.GetTempPath(), "sqliteworker-forwarding-bench", Guid.NewGuid().ToString("n"));
Directory.CreateDirectory(folder);
Console.WriteLine($"rows={rows} events={events} rounds={rounds} cores={Environment.ProcessorCount} {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");

try
{
    var source = Path.Combine(folder, "source.db");
    Burst(source, rows, forwardTo: null);
    using var nullReceiver = new NullReceiver();
    using var dashboard = Dashboard.Start();

    // A first, unmeasured run compiles the code paths, so that no measured round pays for it.
    var warmUp = Path.Combine(folder, "warm-up.db");
    Burst(warmUp, 20_000, forwardTo: nullReceiver.Endpoint);
    Burst(warmUp, 20_000, forwardTo: null);

    Throughput("null receiver, http/protobuf", source, nullReceiver.Endpoint, OtlpProtocol.HttpProtobuf);
    Throughput("Aspire Dashboard, http/protobuf", source, dashboard.Http, OtlpProtocol.HttpProtobuf);
    Throughput("Aspire Dashboard, grpc", source, dashboard.Grpc, OtlpProtocol.Grpc);

    var without = new List<double>();
    var withNull = new List<double>();
    var withDashboard = new List<double>();
    for (var round = 0; round < Math.Max(rounds, 5); round++)
    {
        // Alternating, so that a slow spell of a shared machine falls on all three.
        without.Add(Burst(Path.Combine(folder, $"drain-{round}-a.db"), events, forwardTo: null));
        withNull.Add(Burst(Path.Combine(folder, $"drain-{round}-b.db"), events, forwardTo: nullReceiver.Endpoint));
        withDashboard.Add(Burst(Path.Combine(folder, $"drain-{round}-c.db"), events, forwardTo: dashboard.Http));
    }

    Report("sink alone", without);
    Report("sink + forwarder to the null receiver", withNull);
    Report("sink + forwarder to the dashboard (which runs on the same cores)", withDashboard);
    Console.WriteLine($"ratio with/without (null receiver): {Median(withNull) / Median(without):0.00}");
    Console.WriteLine($"ratio with/without (dashboard): {Median(withDashboard) / Median(without):0.00}");

    void Report(string what, List<double> seconds) =>
        Console.WriteLine($"drain of {events} events, {what}: median {Median(seconds):0.000} s ({events / Median(seconds):N0} events/s) [{Join(seconds)}]");
}
finally
{
    Directory.Delete(folder, recursive: true);
}

void Throughput(string target, string source, Uri endpoint, OtlpProtocol protocol)
{
    var seconds = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        using (var connection = new SQLiteConnection($"Data Source={source};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE IF EXISTS forwarding_cursors";
            command.ExecuteNonQuery();
        }

        using var forwarder = new SqliteForwarder(new SqliteForwarderOptions { DatabasePath = source, Endpoint = endpoint.ToString(), Protocol = protocol });
        var clock = Stopwatch.StartNew();
        var sent = forwarder.SendPendingAsync().GetAwaiter().GetResult();
        seconds.Add(clock.Elapsed.TotalSeconds);
        if (sent != rows)
            throw new InvalidOperationException($"{target}: sent {sent} of {rows}");
    }

    Console.WriteLine($"forward {rows} rows to {target}: median {rows / Median(seconds):N0} rows/s [{string.Join(", ", seconds.Select(s => (rows / s).ToString("N0", CultureInfo.InvariantCulture)))}]");
}

// Logs a burst from one thread as fast as it can; the clock stops when the logger is disposed, when every event is in the file.
static double Burst(string path, int count, Uri? forwardTo)
{
    var configuration = new LoggerConfiguration().WriteTo.SqliteWorker(path);
    if (forwardTo != null)
        configuration = configuration.WriteTo.SqliteWorkerForwarding(path, endpoint: forwardTo.ToString(), pollInterval: TimeSpan.FromMilliseconds(100));
    var logger = configuration.CreateLogger();
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
        logger.Information("Order {OrderId} for {Customer} came to {Total}", i, "customer-" + (i % 100), i * 1.5);
    logger.Dispose();
    return clock.Elapsed.TotalSeconds;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string Join(List<double> values) => string.Join(", ", values.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture)));

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>An OTLP/HTTP endpoint that accepts everything and keeps nothing: the forwarder's own ceiling.</summary>
sealed class NullReceiver : IDisposable
{
    readonly HttpListener _listener = new();

    public NullReceiver()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                try
                {
                    var context = await _listener.GetContextAsync();
                    await context.Request.InputStream.CopyToAsync(Stream.Null);
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
            }
        });
    }

    public Uri Endpoint { get; }

    public void Dispose() => _listener.Close();
}

/// <summary>The standalone Aspire Dashboard on loopback ports of its choosing.</summary>
sealed partial class Dashboard(Process process, Uri http, Uri grpc) : IDisposable
{
    public Uri Http { get; } = http;

    public Uri Grpc { get; } = grpc;

    public static Dashboard Start()
    {
        var program = typeof(Dashboard).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AspireDashboard").Value!;
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = "http://127.0.0.1:0";
        start.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = "http://127.0.0.1:0";
        start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        Uri? http = null, grpc = null;
        while ((http == null || grpc == null) && process.StandardOutput.ReadLine() is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
            {
                if (match.Groups[1].Value == "gRPC")
                    grpc = new Uri(match.Groups[2].Value);
                else
                    http = new Uri(match.Groups[2].Value);
            }
        }

        // Its log is no longer read; left unread, a full pipe would stall it.
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        return new Dashboard(process, http ?? throw new InvalidOperationException("no OTLP/HTTP port"), grpc ?? throw new InvalidOperationException("no OTLP/gRPC port"));
    }

    [GeneratedRegex(@"OTLP/(gRPC|HTTP) listening on: (\S+)")]
    private static partial Regex Listening();

    public void Dispose()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }
}
