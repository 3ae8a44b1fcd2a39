using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Serilog.Sinks.SqliteWorker.Forwarding.Tests.Support;

/// <summary>
/// The standalone Aspire Dashboard, a real OTLP receiver, from the NuGet package the test project downloads; run as a
/// process of its own on loopback ports, and read back through its telemetry API.
/// </summary>
sealed partial class AspireDashboard : IAsyncDisposable
{
    public const string ApiKeyHeader = "x-otlp-api-key";

    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    readonly Process _process;
    readonly HttpClient _api = new();

    AspireDashboard(Process process, Uri api, Uri grpc, Uri http)
    {
        _process = process;
        Api = api;
        GrpcEndpoint = grpc;
        HttpEndpoint = http;
    }

    public Uri Api { get; }

    /// <summary>The OTLP/gRPC endpoint.</summary>
    public Uri GrpcEndpoint { get; }

    /// <summary>The OTLP/HTTP base endpoint, under which /v1/logs and /v1/metrics are served.</summary>
    public Uri HttpEndpoint { get; }

    /// <summary>The program inside the package; the test is skipped where the package's platform is not this one.</summary>
    public static string Program()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
            Assert.Ignore("The receiver these tests start is the Aspire Dashboard for linux-x64; this machine is " +
                          $"{RuntimeInformation.OSDescription} on {RuntimeInformation.OSArchitecture}.");
        var path = typeof(AspireDashboard).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "AspireDashboard").Value!;
        File.Exists(path).Should().BeTrue($"restore downloads the Aspire.Dashboard.Sdk.linux-x64 package, whose program is {path}");
        return path;
    }

    /// <summary>Starts a dashboard; ports of 0 let it choose, and the ones it took are read from its log.</summary>
    public static AspireDashboard Start(string? apiKey = null, int grpcPort = 0, int httpPort = 0)
    {
        var start = new ProcessStartInfo(Program())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{grpcPort}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{httpPort}";
        if (apiKey == null)
        {
            start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        }
        else
        {
            // Allowing anonymous access would open OTLP too: only the pages and the telemetry API are left open.
            start.Environment["Dashboard__Frontend__AuthMode"] = "Unsecured";
            start.Environment["Dashboard__Api__AuthMode"] = "Unsecured";
            start.Environment["Dashboard__Otlp__AuthMode"] = "ApiKey";
            start.Environment["Dashboard__Otlp__PrimaryApiKey"] = apiKey;
        }

        start.Environment["Dashboard__TelemetryLimits__MaxLogCount"] = "100000";
        start.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(start)!;
        var lines = new BlockingCollection<string>();
        var log = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) { lines.Add(e.Data); log.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) log.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        Uri? api = null, grpc = null, http = null;
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            while (api == null || grpc == null || http == null)
            {
                if (!lines.TryTake(out var line, 200, timeout.Token))
                {
                    if (process.HasExited)
                        Assert.Fail($"The Aspire Dashboard exited with {process.ExitCode}: {string.Join('\n', log)}");
                    continue;
                }

                if (Listening().Match(line) is { Success: true } match)
                {
                    var uri = new Uri(match.Groups[2].Value.Trim());
                    switch (match.Groups[1].Value)
                    {
                        case "Now listening on": api = uri; break;
                        case "OTLP/gRPC listening on": grpc = uri; break;
                        case "OTLP/HTTP listening on": http = uri; break;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The Aspire Dashboard did not say where it listens within {Patience.TotalSeconds} s: {string.Join('\n', log)}");
        }

        return new AspireDashboard(process, api!, grpc!, http!);
    }

    [GeneratedRegex(@"(Now listening on|OTLP/gRPC listening on|OTLP/HTTP listening on): (\S+)")]
    private static partial Regex Listening();

    /// <summary>A loopback port free now, for a receiver that starts later on it.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Every log record the dashboard holds, as OTLP JSON.</summary>
    public async Task<IReadOnlyList<ReceivedLog>> LogsAsync()
    {
        using var response = await _api.GetAsync(new Uri(Api, "/api/telemetry/logs?limit=100000"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var json = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(json);
        return ReceivedLog.ReadAll(document.RootElement);
    }

    /// <summary>
    /// Waits until the dashboard holds at least <paramref name="count"/> log records, of <paramref name="serviceName"/>
    /// alone when it is given; fails the test after a minute.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedLog>> WaitForLogsAsync(int count, string? serviceName = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var logs = (await LogsAsync()).Where(l => serviceName == null || l.ServiceName == serviceName).ToList();
            if (logs.Count >= count)
                return logs;
            DateTime.UtcNow.Should().BeBefore(deadline, $"the dashboard should receive {count} log records within a minute (it has {logs.Count})");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _api.Dispose();
    }
}
