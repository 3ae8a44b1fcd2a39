using System.Diagnostics;
using System.Globalization;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Forwarding.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Forwarding.Tests;

/// <summary>
/// Forwarding to a real OTLP receiver, the Aspire Dashboard, one for the whole fixture: each test sends under a
/// service name of its own and reads back only those records.
/// </summary>
[NonParallelizable]
public class ReceiverTests
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

    SqliteForwarderOptions Options(string path, OtlpProtocol protocol, string serviceName) => new()
    {
        DatabasePath = path,
        Endpoint = (protocol == OtlpProtocol.Grpc ? _dashboard.GrpcEndpoint : _dashboard.HttpEndpoint).ToString(),
        Protocol = protocol,
        ServiceName = serviceName,
        MaximumRetryDelay = TimeSpan.FromSeconds(1),
    };

    [TestCase(OtlpProtocol.HttpProtobuf)]
    [TestCase(OtlpProtocol.Grpc)]
    public async Task RecordsArriveWithTheirTimeSeverityScopeTemplateIdsAndAttributes(OtlpProtocol protocol)
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var traceId = ActivityTraceId.CreateRandom();
        var column = new SqliteWorkerColumn { PropertyPath = "Order.Id", ColumnName = "order_id", Type = SqliteColumnType.Integer };
        using (var logger = LogFile.Logger(path, column))
        {
            logger.ForContext("SourceContext", "Shop.Checkout")
                .Information("Order {@Order} placed by {User} for {Total}", new { Id = 17, Lines = new[] { "a", "b" } }, "ann", 12.5);
            logger.Write(TestEvent.At(new DateTimeOffset(2025, 1, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(1234567), LogEventLevel.Error,
                "Payment failed", new InvalidOperationException("Card declined"), traceId));
            logger.Verbose("Quiet");
            logger.Metric("checkout.duration", 12.5, "ms");
        }

        var serviceName = ServiceName();
        using (var forwarder = new SqliteForwarder(Options(path, protocol, serviceName)))
        {
            // The metric too: the dashboard has no route to read metrics back, so its points are checked on the wire
            // (WireTests); here, that the receiver accepts them.
            (await forwarder.SendPendingAsync()).Should().Be(4);
            forwarder.GetStatus().Single(s => s.Table == "metrics").Forwarded.Should().Be(1);
        }

        var received = await _dashboard.WaitForLogsAsync(3, serviceName);
        var sourceId = LogFile.SourceId(path);
        received.Select(r => r.Uid).Should().BeEquivalentTo([$"{sourceId}/logs/1", $"{sourceId}/logs/2", $"{sourceId}/logs/3"]);

        var order = received.Single(r => r.Uid.EndsWith("/1", StringComparison.Ordinal));
        order.TimeUnixNano.Should().Be(StoredUnixNanoseconds(path, 1), "the stored time, to the 100 ns the file keeps, is the record's time");
        order.Scope.Should().Be("Shop.Checkout");
        (order.SeverityNumber, order.SeverityText).Should().Be((9, "Information"));
        order.Body.Should().Be("Order { Id: 17, Lines: [\"a\", \"b\"] } placed by \"ann\" for 12.5");
        order.Attributes["message_template.text"].Should().Be("Order {@Order} placed by {User} for {Total}");
        order.Attributes["User"].Should().Be("ann");
        order.Attributes["Total"].Should().Be("12.5");
        // The structure arrives as a map holding a number and an array, which the dashboard shows as JSON.
        order.Attributes["Order"].Should().Be("{\"Id\":17,\"Lines\":[\"a\",\"b\"]}");
        order.Attributes["order_id"].Should().Be("17", "a custom column is an attribute of its own name");
        order.Attributes.Should().ContainKey("thread.id").WhoseValue.Should().MatchRegex("^[0-9]+$");

        var failure = received.Single(r => r.Uid.EndsWith("/2", StringComparison.Ordinal));
        failure.TimeUnixNano.Should().Be(1738367999123456700UL, "2025-01-31 23:59:59.1234567 UTC, to 100 ns");
        (failure.SeverityNumber, failure.SeverityText).Should().Be((17, "Error"));
        failure.Scope.Should().Be("unknown", "the dashboard names a scope without a name so, and the event had no source context");
        failure.TraceId.Should().Be(traceId.ToHexString());
        failure.SpanId.Should().MatchRegex("^[0-9a-f]{16}$").And.NotBe("0000000000000000");
        failure.Attributes["exception.type"].Should().Be("System.InvalidOperationException");
        failure.Attributes["exception.message"].Should().Be("Card declined");
        failure.Attributes["exception.stacktrace"].Should().StartWith("System.InvalidOperationException: Card declined");

        var quiet = received.Single(r => r.Uid.EndsWith("/3", StringComparison.Ordinal));
        // The dashboard shows its own name for a severity number (Trace); the text sent is checked on the wire.
        quiet.SeverityNumber.Should().Be(1);
    }

    [Test]
    public async Task TheReceiverDownWhenForwardingStartsThenUpGetsEveryRowExactlyOnce()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, 2500);
        var port = AspireDashboard.FreePort();
        var serviceName = ServiceName();
        var options = Options(path, OtlpProtocol.HttpProtobuf, serviceName);
        options.Endpoint = $"http://127.0.0.1:{port}";
        using var forwarder = new SqliteForwarder(options);
        var retried = new TaskCompletionSource();
        forwarder.Retrying += (_, _) => retried.TrySetResult();

        var sending = forwarder.SendPendingAsync();
        await retried.Task.WaitAsync(TimeSpan.FromSeconds(60));
        forwarder.Forwarded.Should().Be(0);
        await using var late = AspireDashboard.Start(httpPort: port);
        (await sending.WaitAsync(TimeSpan.FromSeconds(60))).Should().Be(2500);

        var received = await late.WaitForLogsAsync(2500, serviceName);
        received.Should().HaveCount(2500);
        received.Select(r => r.Uid).Should().OnlyHaveUniqueItems();
        received.Select(r => r.Attributes["Number"]).Should().BeEquivalentTo(Enumerable.Range(0, 2500).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        forwarder.Retries.Should().BeGreaterThan(0);
    }

    [Test]
    public async Task AGracefulStopAndRestartSendsNothingTwice()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var serviceName = ServiceName();
        var options = Options(path, OtlpProtocol.Grpc, serviceName);
        options.BatchSize = 100;
        options.PollInterval = TimeSpan.FromMilliseconds(50);

        using (var logger = LogFile.Logger(path))
        {
            for (var round = 0; round < 3; round++)
            {
                // Each round follows the file while the sink writes, and stops in the middle of it.
                using var forwarder = new SqliteForwarder(options);
                using var stop = new CancellationTokenSource();
                var firstBatch = new TaskCompletionSource();
                forwarder.BatchForwarded += _ => firstBatch.TrySetResult();
                var running = forwarder.RunAsync(stop.Token);
                for (var i = 0; i < 700; i++)
                    logger.Information("Event {Number}", round * 1000 + i);
                await firstBatch.Task.WaitAsync(TimeSpan.FromSeconds(60));
                await stop.CancelAsync();
                await running.WaitAsync(TimeSpan.FromSeconds(60));
            }
        }

        using (var last = new SqliteForwarder(options))
            await last.SendPendingAsync();

        // Every request was answered before its forwarder returned, so the dashboard holds all it was sent.
        var received = await _dashboard.WaitForLogsAsync(2100, serviceName);
        received.Should().HaveCount(2100, "every row arrives, and none twice");
        received.Select(r => r.Uid).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public async Task ServiceUnavailableForAWhileThenAcceptedDeliversEveryRowOnceAfterTheWaitsAskedFor()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, 300);
        var serviceName = ServiceName();
        OtlpCapture? proxy = null;
        var relay = (Func<string, byte[], Task<(int, byte[], string?)>>)null!;
        proxy = new OtlpCapture((number, requestPath, body) => number <= 3
            ? Task.FromResult((503, Array.Empty<byte>(), (string?)"1"))
            : relay(requestPath, body));
        relay = proxy.RelayTo(_dashboard.HttpEndpoint);
        using var _ = proxy;

        var options = Options(path, OtlpProtocol.HttpProtobuf, serviceName);
        options.Endpoint = proxy.Endpoint.ToString();
        options.MaximumRetryDelay = TimeSpan.FromMilliseconds(100);
        using var forwarder = new SqliteForwarder(options);
        var waits = new List<TimeSpan>();
        forwarder.Retrying += (_, wait) => waits.Add(wait);
        (await forwarder.SendPendingAsync()).Should().Be(300);

        waits.Should().Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)],
            "each 503 asked for a second with Retry-After, longer than the forwarder's own 100 ms");
        var received = await _dashboard.WaitForLogsAsync(300, serviceName);
        received.Should().HaveCount(300);
        received.Select(r => r.Uid).Should().OnlyHaveUniqueItems();
    }

    static ulong StoredUnixNanoseconds(string path, long id)
    {
        var text = LogFile.Text(path, $"SELECT timestamp FROM logs WHERE id = {id}");
        var time = DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return (ulong)(time.Ticks - DateTime.UnixEpoch.Ticks) * 100;
    }
}
