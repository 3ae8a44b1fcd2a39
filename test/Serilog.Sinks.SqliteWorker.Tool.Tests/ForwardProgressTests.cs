using System.Net;
using System.Net.Sockets;
using Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests;

/// <summary>
/// <c>forward</c> shows its progress on a terminal and only its result when redirected, like the other long commands.
/// Its delivery is tested against a real receiver in the forwarding tests; here an endpoint that accepts everything will do.
/// </summary>
public sealed class ForwardProgressTests
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task OnATerminalForwardSaysWhatItIsDoingAndRedirectedItPrintsOnlyItsResult(bool isTerminal)
    {
        using var folder = new TempFolder();
        var database = folder.File("copy.db");
        (await SqliteLogs.RunAsync("backup", ToolDatabase.Path, database)).ExitCode.Should().Be(0);
        using var endpoint = new AcceptingEndpoint();
        var output = new CapturedWriter();
        var error = new CapturedWriter();
        var console = new ToolConsole(output, error, isTerminal, useColour: false, width: 200);

        var exitCode = await SqliteLogsApp.RunAsync(["forward", database, "--endpoint", endpoint.Uri.ToString()], console);

        exitCode.Should().Be(0, error.Text);
        var rows = ToolDatabase.LogCount + ToolDatabase.MetricCount;
        if (isTerminal)
        {
            output.Text.Should().Contain("Forwarding");
        }
        else
        {
            output.Text.Should().NotContainAny("Forwarding", "\u001b", "\r");
            output.Text.Trim().Should().Be($"Forwarded {rows:N0} rows to http/protobuf {endpoint.Uri}.");
        }
    }

    /// <summary>An OTLP/HTTP endpoint on a loopback port that answers 200 to everything.</summary>
    sealed class AcceptingEndpoint : IDisposable
    {
        readonly HttpListener _listener = new();

        public AcceptingEndpoint()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
            probe.Stop();
            _listener.Prefixes.Add(Uri.ToString());
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

        public Uri Uri { get; }

        public void Dispose() => _listener.Close();
    }
}
