using Serilog.Sinks.SqliteWorker.Forwarding.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Forwarding.Tests;

/// <summary>A receiver that requires an API key: refused when it is wrong, with nothing lost; accepted when it is right.</summary>
[NonParallelizable]
public class ApiKeyTests
{
    const string Key = "fleet-key-0123456789";

    AspireDashboard _dashboard = null!;

    [OneTimeSetUp]
    public void StartReceiver() => _dashboard = AspireDashboard.Start(apiKey: Key);

    [OneTimeTearDown]
    public async Task StopReceiver()
    {
        if (_dashboard != null)
            await _dashboard.DisposeAsync();
    }

    [TestCase(OtlpProtocol.HttpProtobuf)]
    [TestCase(OtlpProtocol.Grpc)]
    public async Task AWrongKeyIsRefusedAndReportedWithNothingLostAndTheRightOneDeliversEveryRow(OtlpProtocol protocol)
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, 50);
        var serviceName = $"api-key-{protocol}-{Guid.NewGuid():n}";
        SqliteForwarderOptions Options(string key) => new()
        {
            DatabasePath = path,
            Endpoint = (protocol == OtlpProtocol.Grpc ? _dashboard.GrpcEndpoint : _dashboard.HttpEndpoint).ToString(),
            Protocol = protocol,
            ServiceName = serviceName,
            Headers = { [AspireDashboard.ApiKeyHeader] = key },
        };

        using (var wrong = new SqliteForwarder(Options("not-the-key")))
        {
            var refused = await wrong.Invoking(f => f.SendPendingAsync()).Should().ThrowAsync<OtlpRefusedException>();
            refused.Which.Message.Should().MatchRegex("401|Unauthenticated");
            var logs = wrong.GetStatus().Should().ContainSingle(s => s.Table == "logs").Subject;
            (logs.Forwarded, logs.Pending).Should().Be((0, 50), "a refused batch leaves the cursor where it was");
        }

        (await _dashboard.LogsAsync()).Should().NotContain(l => l.ServiceName == serviceName);

        using (var right = new SqliteForwarder(Options(Key)))
            (await right.SendPendingAsync()).Should().Be(50);
        var received = (await _dashboard.WaitForLogsAsync(0)).Where(l => l.ServiceName == serviceName).ToList();
        received.Should().HaveCount(50);
        received.Select(r => r.Uid).Should().OnlyHaveUniqueItems();
    }
}
