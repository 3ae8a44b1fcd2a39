using System.Net;
using System.Net.NetworkInformation;
using System.Text.RegularExpressions;
using Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests;

/// <summary><c>serve</c> in-process: where it listens, who it answers, and how it starts and stops.</summary>
public sealed partial class ServeCommandTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task ItListensOnLoopbackOnlyByDefault()
    {
        await using var server = await Serving.StartAsync(ToolDatabase.Path);
        server.Address.Host.Should().Be("127.0.0.1");
        server.Output.Lines.Should().Contain("Only this machine can connect. Ctrl+C stops.");

        var listeners = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Where(l => l.Port == server.Address.Port).ToList();
        listeners.Should().NotBeEmpty();
        listeners.Should().OnlyContain(l => IPAddress.IsLoopback(l.Address), "nothing but this machine may reach the view by default");

        using var client = new HttpClient();
        using var page = await client.GetAsync(server.Address);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("<h1>tool.db</h1>");
        (await client.GetStringAsync(new Uri(server.Address, "api/logs?limit=5"))).Should().Contain("\"rows\":[{\"id\":");

        (await server.StopAsync()).Should().Be(ExitCodes.Success, "Ctrl+C is how serving ends");
    }

    [Test]
    public async Task CtrlCEndsOpenLiveViewsCleanlyAndStops()
    {
        await using var server = await Serving.StartAsync(ToolDatabase.Path);
        using var client = new HttpClient();
        using var timeout = new CancellationTokenSource(Patience);
        await using var stream = await client.GetStreamAsync(new Uri(server.Address, "api/live"), timeout.Token);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(timeout.Token) is { } line && !line.StartsWith("event: page", StringComparison.Ordinal))
        {
        }

        var stopped = server.StopAsync();
        // The server ends the stream as it stops; one it had to cut off at its shutdown timeout would fail this read.
        (await reader.ReadToEndAsync(timeout.Token)).Should().NotContain("event: page");
        (await stopped).Should().Be(ExitCodes.Success);
    }

    [Test]
    public async Task OnLoopbackARequestAddressedToAnotherHostIsRefused()
    {
        await using var server = await Serving.StartAsync(ToolDatabase.Path);
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Address, "api/logs"));
        // What a page elsewhere sends after pointing its own host name at 127.0.0.1.
        request.Headers.Host = "rebound.example:" + server.Address.Port;
        using var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.MisdirectedRequest);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("Order");
    }

    [Test]
    public async Task AnotherAddressNeedsTheTokenPrintedAtStart()
    {
        await using var server = await Serving.StartAsync(ToolDatabase.Path, "--listen", "0.0.0.0");
        var token = server.Address.Query.Should().StartWith("?token=").And.Subject[7..];
        token.Should().MatchRegex("^[0-9a-f]{32}$");
        var local = new UriBuilder(server.Address) { Host = "127.0.0.1", Query = "" }.Uri;

        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
        using var client = new HttpClient(handler);
        using (var without = await client.GetAsync(new Uri(local, "api/logs")))
        {
            without.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            (await without.Content.ReadAsStringAsync()).Should().Contain("token").And.NotContain("Order");
        }

        using (var wrong = await client.GetAsync(new Uri(local, "?token=" + new string('0', 32))))
            wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        using (var link = await client.GetAsync(new Uri(local, "?token=" + token)))
        {
            link.StatusCode.Should().Be(HttpStatusCode.Redirect, "the link's token becomes a cookie and leaves the address bar");
            link.Headers.Location!.ToString().Should().Be("/");
        }

        using var withCookie = await client.GetAsync(new Uri(local, "api/logs?limit=1"));
        withCookie.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task AMissingFileIsAnErrorBeforeAnythingListens()
    {
        using var folder = new TempFolder();
        var result = await SqliteLogs.RunAsync("serve", folder.File("none.db"));
        result.ExitCode.Should().Be(ExitCodes.DatabaseNotFound);
        result.Output.Should().BeEmpty();
    }

    [TestCase("--listen", "example.org", "--listen 'example.org' is not an IP address")]
    [TestCase("--port", "70000", "--port 70000 is too large")]
    public async Task ABadAddressOrPortIsAUsageError(string option, string value, string message)
    {
        var result = await SqliteLogs.RunAsync("serve", ToolDatabase.Path, option, value);
        result.ExitCode.Should().Be(ExitCodes.Usage);
        result.Error.Should().Contain(message);
    }

    /// <summary>The tool serving in-process until stopped, as Ctrl+C stops it.</summary>
    sealed class Serving : IAsyncDisposable
    {
        readonly CancellationTokenSource _stop;
        readonly Task<ToolResult> _run;

        Serving(CapturedWriter output, CancellationTokenSource stop, Task<ToolResult> run, Uri address)
        {
            Output = output;
            _stop = stop;
            _run = run;
            Address = address;
        }

        public CapturedWriter Output { get; }

        /// <summary>The address it printed.</summary>
        public Uri Address { get; }

        public static async Task<Serving> StartAsync(string path, params string[] options)
        {
            var output = new CapturedWriter();
            var stop = new CancellationTokenSource();
            var run = SqliteLogs.RunAsync(["serve", path, .. options], output, stop.Token);
            using var timeout = new CancellationTokenSource(Patience);
            Match served;
            while (!(served = ServedAt().Match(output.Text)).Success)
            {
                if (run.IsCompleted)
                    Assert.Fail($"serve ended early: {(await run).Error}");
                await Task.Delay(20, timeout.Token);
            }

            return new Serving(output, stop, run, new Uri(served.Groups[1].Value));
        }

        public async Task<int> StopAsync()
        {
            await _stop.CancelAsync();
            return (await _run.WaitAsync(Patience)).ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_run.IsCompleted)
                await StopAsync();
            _stop.Dispose();
        }
    }

    [GeneratedRegex(@"read-only at (\S+)\r?\n")]
    private static partial Regex ServedAt();
}
