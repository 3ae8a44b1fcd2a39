using Serilog.Sinks.SqliteWorker.Forwarding.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Forwarding.Tests;

/// <summary><c>sqlite-logs forward</c> and <c>stats</c> run as processes, against the Aspire Dashboard.</summary>
[NonParallelizable]
[Category(Needs.Slow)]
public class ForwardCommandTests
{
    AspireDashboard _dashboard = null!;

    [OneTimeSetUp]
    public void StartReceiver() => _dashboard = AspireDashboard.Start();

    [OneTimeTearDown]
    public async Task StopReceiver()
    {
        if (_dashboard != null)
            await _dashboard.DisposeAsync();
    }

    static string ServiceName() => $"{TestContext.CurrentContext.Test.MethodName}-{Guid.NewGuid():n}";

    [Test]
    public async Task ForwardSendsWhatTheFileHoldsExitsZeroAndStatsShowsNothingPending()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, 300);
        var serviceName = ServiceName();

        var (exitCode, output, error) = await ForwardProcess.RunAsync(null, "forward", path, "--endpoint", _dashboard.HttpEndpoint.ToString(),
            "--service-name", serviceName, "--resource", "host.name=web-1");

        (exitCode, error).Should().Be((0, ""));
        output.Should().Contain("Forwarded 300 rows to http/protobuf " + _dashboard.HttpEndpoint);
        (await _dashboard.WaitForLogsAsync(300, serviceName)).Should().HaveCount(300);

        var stats = await ForwardProcess.RunAsync(null, "stats", path);
        stats.ExitCode.Should().Be(0, stats.Error);
        stats.Output.Should().Contain("Forwarding").And.MatchRegex(@"http/protobuf[^\n]*logs\s*│\s*300\s*│\s*0\s*│\s*-");
    }

    [Test]
    public async Task TheStandardOpenTelemetryVariablesStandInForAbsentOptions()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, 20);
        var serviceName = ServiceName();

        var (exitCode, output, error) = await ForwardProcess.RunAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _dashboard.GrpcEndpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["OTEL_SERVICE_NAME"] = serviceName,
            ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment.name=test",
        }, "forward", path);

        (exitCode, error).Should().Be((0, ""));
        output.Should().Contain("Forwarded 20 rows to grpc " + _dashboard.GrpcEndpoint);
        (await _dashboard.WaitForLogsAsync(20, serviceName)).Should().HaveCount(20);
    }

    [Test]
    public async Task AForwarderKilledMidStreamAndRestartedLeavesEveryRowPresentWithDuplicatesOfAtMostOneBatch()
    {
        const int rows = 20_000;
        const int batchSize = 500;
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, rows);
        var serviceName = ServiceName();
        string[] args = ["forward", path, "--endpoint", _dashboard.HttpEndpoint.ToString(), "--service-name", serviceName,
            "--batch-size", batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)];

        using (var first = ForwardProcess.Start(null, args))
        {
            // Killed once a few batches are in, while it is sending the next ones.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (LogFile.Scalar(path, "SELECT count(*) FROM sqlite_master WHERE name = 'forwarding_cursors'") == 0 ||
                   LogFile.Scalar(path, "SELECT ifnull((SELECT last_id FROM forwarding_cursors WHERE table_name = 'logs'), 0)") < 3 * batchSize)
            {
                DateTime.UtcNow.Should().BeBefore(deadline, "the first forwarder should store its cursor within a minute");
                await Task.Delay(20);
            }

            first.Kill();
        }

        var sentBeforeKill = LogFile.Scalar(path, "SELECT last_id FROM forwarding_cursors WHERE table_name = 'logs'");
        sentBeforeKill.Should().BeLessThan(rows, "the kill should come while rows are still pending");

        var (exitCode, _, error) = await ForwardProcess.RunAsync(null, args);
        (exitCode, error).Should().Be((0, ""));

        var received = await _dashboard.WaitForLogsAsync(rows, serviceName);
        received.Select(r => r.Uid).Distinct().Should().HaveCount(rows, "every row is present");
        (received.Count - rows).Should().BeLessThanOrEqualTo(batchSize, "only the batch in flight at the kill may arrive twice");
        TestContext.Out.WriteLine($"Cursor at {sentBeforeKill} when killed; {received.Count - rows} records arrived twice.");
    }

    [Test]
    [Category(Needs.Linux)]
    public async Task FollowSendsNewRowsAsTheyAreWrittenAndCtrlCEndsItWithExitZero()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, 10);
        var serviceName = ServiceName();
        using var follower = ForwardProcess.Start(null, "forward", path, "--endpoint", _dashboard.HttpEndpoint.ToString(),
            "--service-name", serviceName, "--follow");

        await _dashboard.WaitForLogsAsync(10, serviceName);
        LogFile.Write(path, 15, from: 10);
        (await _dashboard.WaitForLogsAsync(25, serviceName)).Should().HaveCount(25);

        follower.Interrupt();
        var (exitCode, output, error) = await follower.ExitAsync();
        (exitCode, error).Should().Be((0, ""));
        output.Should().Contain("Forwarded 25 rows");
    }

    [Test]
    [Category(Needs.Linux)]
    public async Task AnUnreachableEndpointIsRetriedUntilCtrlCWhichLeavesEveryRowPending()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, 7);
        var endpoint = $"http://127.0.0.1:{AspireDashboard.FreePort()}";
        using var forward = ForwardProcess.Start(null, "forward", path, "--endpoint", endpoint);

        await forward.WaitForErrorAsync("retrying in");
        forward.Interrupt();
        var (exitCode, _, error) = await forward.ExitAsync();

        exitCode.Should().Be(130);
        error.Should().Contain("could not be reached").And.Contain("Interrupted after forwarding 0 rows");
        using var sameDestination = new SqliteForwarder(new SqliteForwarderOptions { DatabasePath = path, Endpoint = endpoint });
        var logs = sameDestination.GetStatus().Should().ContainSingle(s => s.Table == "logs").Subject;
        (logs.Forwarded, logs.Pending).Should().Be((0, 7));
    }

    [Test]
    public async Task ForwardHasHelpThatNamesItsOptions()
    {
        var (exitCode, output, error) = await ForwardProcess.RunAsync(null, "forward", "--help");

        (exitCode, error).Should().Be((0, ""));
        output.Should().Contain("sqlite-logs forward <DB>").And.ContainAll("--endpoint", "--protocol", "--follow", "--header", "--service-name", "--resource");
    }

    [Test]
    public async Task AnEndpointThatRefusesTheForwarderEndsItWithExitOneAndEveryRowPending()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, 5);
        using var capture = new OtlpCapture((_, _, _) => Task.FromResult((401, "bad key\n\u001b[31m"u8.ToArray(), (string?)null)));

        var (exitCode, _, error) = await ForwardProcess.RunAsync(null, "forward", path, "--endpoint", capture.Endpoint.ToString());

        exitCode.Should().Be(1);
        error.Should().Contain("refused").And.Contain("5 rows are still pending").And.NotContain("\u001b");
    }
}
