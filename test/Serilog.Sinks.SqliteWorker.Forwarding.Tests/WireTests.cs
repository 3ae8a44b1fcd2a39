using System.Globalization;
using Serilog.Debugging;
using Serilog.Sinks.SqliteWorker.Forwarding.Otlp;
using Serilog.Sinks.SqliteWorker.Forwarding.Tests.Support;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker.Forwarding.Tests;

/// <summary>The requests as they arrive on the wire, at a receiver of the test's own that answers as the test chooses.</summary>
[NonParallelizable]
public class WireTests
{
    static SqliteForwarderOptions Options(string path, OtlpCapture capture) => new()
    {
        DatabasePath = path,
        Endpoint = capture.Endpoint.ToString(),
        ServiceName = "wire",
        MaximumRetryDelay = TimeSpan.FromMilliseconds(100),
    };

    [Test]
    public async Task PropertiesArriveAsAttributesOfTheirOwnTypesWithMapsAndArrays()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using (var logger = LogFile.Logger(path))
        {
            logger.Verbose("{Count} {Ratio} {Whole} {Flag} {Name} {Nothing} {@Order} {Tags}",
                42, 0.25, 2.0, true, "ann", null, new { Id = 7, Lines = new[] { 1, 2 } }, new[] { "a", "b" });
            logger.Metric("queue.length", 12.5, "{items}");
        }

        using var capture = new OtlpCapture();
        using (var forwarder = new SqliteForwarder(Options(path, capture)))
            (await forwarder.SendPendingAsync()).Should().Be(2);

        var record = capture.Logs.Single().ResourceLogs.Single().ScopeLogs.Single().LogRecords.Single();
        capture.Logs.Single().ResourceLogs.Single().ScopeLogs.Single().Scope.Name.Should().BeEmpty("the event had no source context");
        (record.SeverityNumber, record.SeverityText).Should().Be((1, "Verbose"));
        var attributes = record.Attributes.ToDictionary(a => a.Key, a => a.Value);
        attributes["Count"].IntValue.Should().Be(42);
        attributes["Ratio"].DoubleValue.Should().Be(0.25);
        attributes["Flag"].BoolValue.Should().BeTrue();
        attributes["Name"].StringValue.Should().Be("ann");
        attributes["Nothing"].ValueCase.Should().Be(AnyValue.ValueOneofCase.None, "a null property is an empty value");
        var order = attributes["Order"].KvlistValue.Values.ToDictionary(a => a.Key, a => a.Value);
        order["Id"].IntValue.Should().Be(7);
        order["Lines"].ArrayValue.Values.Select(v => v.IntValue).Should().Equal(1, 2);
        attributes["Tags"].ArrayValue.Values.Select(v => v.StringValue).Should().Equal("a", "b");
        attributes["thread.id"].ValueCase.Should().Be(AnyValue.ValueOneofCase.IntValue);

        var resource = capture.Metrics.Single().ResourceMetrics.Single();
        resource.Resource.Attributes.Single(a => a.Key == "service.name").Value.StringValue.Should().Be("wire");
        var metric = resource.ScopeMetrics.Single().Metrics.Single();
        (metric.Name, metric.Unit, metric.DataCase).Should().Be(("queue.length", "{items}", Metric.DataOneofCase.Gauge));
        var point = metric.Gauge.DataPoints.Single();
        point.AsDouble.Should().Be(12.5);
        var stored = DateTime.ParseExact(LogFile.Text(path, "SELECT timestamp FROM metrics WHERE id = 1"), "yyyy-MM-dd HH:mm:ss.fffffff",
            CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        point.TimeUnixNano.Should().Be((ulong)(stored.Ticks - DateTime.UnixEpoch.Ticks) * 100);
    }

    [Test]
    public async Task ARowAnotherProgramWroteWithATimeThatIsNotOneIsSentWithAnUnknownTimeAndHoldsUpNothing()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, 1);
        LogFile.Execute(path, "INSERT INTO logs (timestamp, level, message, message_template, properties) VALUES ('yesterday', 'Shouting', 'odd', 'odd', 'not json')");
        LogFile.Write(path, 1, from: 2);
        using var capture = new OtlpCapture();

        using (var forwarder = new SqliteForwarder(Options(path, capture)))
            (await forwarder.SendPendingAsync()).Should().Be(3);

        var records = capture.Logs.Single().ResourceLogs.Single().ScopeLogs.Single().LogRecords;
        var odd = records[1];
        (odd.TimeUnixNano, odd.ObservedTimeUnixNano > 0, odd.SeverityNumber, odd.SeverityText).Should().Be((0UL, true, 0, "Shouting"));
        odd.Attributes.Single(a => a.Key == "properties").Value.StringValue.Should().Be("not json");
        records[2].Attributes.Single(a => a.Key == "Number").Value.IntValue.Should().Be(2);
    }

    [Test]
    public async Task RecordsThatThePartialSuccessRejectsAreCountedReportedAndNotSentAgain()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, 10);
        using var capture = new OtlpCapture((_, _, _) => Task.FromResult((200, OtlpCapture.PartialSuccess(2, "two too old"), (string?)null)));
        var reports = new List<string>();
        SelfLog.Enable(message => { lock (reports) reports.Add(message); });
        try
        {
            using (var forwarder = new SqliteForwarder(Options(path, capture)))
            {
                (await forwarder.SendPendingAsync()).Should().Be(10);
                (forwarder.Forwarded, forwarder.Rejected).Should().Be((8, 2));
                var logs = forwarder.GetStatus().Single(s => s.Table == "logs");
                (logs.Forwarded, logs.Rejected, logs.Pending, logs.LastForwardedId).Should().Be((8, 2, 0, 10));
            }

            using (var again = new SqliteForwarder(Options(path, capture)))
                (await again.SendPendingAsync()).Should().Be(0, "the cursor moved past the batch the endpoint answered for");
        }
        finally
        {
            SelfLog.Disable();
        }

        capture.Requests.Should().Be(1);
        reports.Should().ContainSingle(r => r.Contains("rejected 2 of 10 rows from logs", StringComparison.Ordinal) && r.Contains("two too old", StringComparison.Ordinal));
    }

    [Test]
    public async Task AStopWhileARequestIsInFlightLetsItFinishAndStoresItsCursorSoARestartSendsNothingTwice()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, 10);
        var arrived = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        using var capture = new OtlpCapture(async (_, _, _) =>
        {
            arrived.TrySetResult();
            await release.Task;
            return (200, Array.Empty<byte>(), null);
        });

        using (var forwarder = new SqliteForwarder(Options(path, capture)))
        {
            using var stop = new CancellationTokenSource();
            var running = forwarder.RunAsync(stop.Token);
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(60));
            // The stop comes while the endpoint holds the request; the endpoint then accepts it.
            await stop.CancelAsync();
            release.SetResult();
            await running.WaitAsync(TimeSpan.FromSeconds(60));
            forwarder.Forwarded.Should().Be(10, "the request in flight was finished, and its cursor stored");
        }

        using (var restarted = new SqliteForwarder(Options(path, capture)))
            (await restarted.SendPendingAsync()).Should().Be(0);
        capture.Requests.Should().Be(1, "nothing was sent twice");
    }

    [Test]
    public async Task RowsDeletedBeforeTheyWereForwardedAreCountedAsNeverForwarded()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, 10);
        using var capture = new OtlpCapture();
        var firstOptions = Options(path, capture);
        firstOptions.BatchSize = 4;
        using (var first = new SqliteForwarder(firstOptions))
        {
            // The first batch goes, then retention (here by hand) deletes rows nobody has sent yet.
            using var stop = new CancellationTokenSource();
            first.BatchForwarded += _ => stop.Cancel();
            await first.RunAsync(stop.Token);
        }

        LogFile.Execute(path, "DELETE FROM logs WHERE id IN (2, 5, 6, 9)");
        using var forwarder = new SqliteForwarder(Options(path, capture));
        await forwarder.SendPendingAsync();

        forwarder.NeverForwarded.Should().Be(3, "rows 5, 6 and 9 were deleted before they were sent; 2 had been sent");
        var logs = forwarder.GetStatus().Single(s => s.Table == "logs");
        (logs.Forwarded, logs.NeverForwarded, logs.Pending).Should().Be((4 + 3, 3, 0));
        capture.Logs.SelectMany(r => r.ResourceLogs[0].ScopeLogs[0].LogRecords).Select(r => r.Attributes.Single(a => a.Key == "Number").Value.IntValue)
            .Should().Equal(0, 1, 2, 3, 6, 7, 9);
    }

    [Test]
    public async Task WhenTheLastRowsAreDeletedAfterForwardingTheRowsThatReuseTheirIdsAreStillSent()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, 5);
        using var capture = new OtlpCapture();
        using var forwarder = new SqliteForwarder(Options(path, capture));
        await forwarder.SendPendingAsync();

        // Retention took every row; SQLite gives the next row id 1 again, behind the cursor at 5.
        LogFile.Execute(path, "DELETE FROM logs");
        await forwarder.SendPendingAsync();
        LogFile.Write(path, 2, from: 100);
        (await forwarder.SendPendingAsync()).Should().Be(2);

        capture.Logs.SelectMany(r => r.ResourceLogs[0].ScopeLogs[0].LogRecords).Select(r => r.Attributes.Single(a => a.Key == "Number").Value.IntValue)
            .Should().Equal(0, 1, 2, 3, 4, 100, 101);
    }

    [Test]
    public async Task AFileTheSinkHasNotMadeItsTablesInIsLeftUntouchedForTheSinkToSetUp()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        File.WriteAllBytes(path, []);
        using var capture = new OtlpCapture();
        using (var early = new SqliteForwarder(Options(path, capture)))
            (await early.SendPendingAsync()).Should().Be(0);
        new FileInfo(path).Length.Should().Be(0, "a file without pages is the sink's to set up");

        // The size limit needs incremental auto-vacuum, which only a file without pages can still take.
        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path, maxDatabaseSize: 10_000_000).CreateLogger())
            logger.Information("Event {Number}", 1);
        LogFile.Scalar(path, "PRAGMA auto_vacuum").Should().Be(2);
        using (var forwarder = new SqliteForwarder(Options(path, capture)))
            (await forwarder.SendPendingAsync()).Should().Be(1);
    }

    [Test]
    public async Task TheSinkTheQueryHelperAndTheToolKeepUsingAFileThatHasTheCursorTables()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, 3);
        using var capture = new OtlpCapture();
        using (var forwarder = new SqliteForwarder(Options(path, capture)))
            await forwarder.SendPendingAsync();
        LogFile.Scalar(path, "SELECT count(*) FROM forwarding_cursors").Should().Be(1, "the logs table's cursor; no metric was sent");

        var reports = new List<string>();
        SelfLog.Enable(message => { lock (reports) reports.Add(message); });
        try
        {
            LogFile.Write(path, 2, from: 3);
        }
        finally
        {
            SelfLog.Disable();
        }

        reports.Should().BeEmpty("the sink accepts a file with tables besides its own");
        using var db = SqliteWorkerDatabase.Open(path);
        db.GetStatistics().LogCount.Should().Be(5);
        db.GetLogs(limit: 10).Select(l => l.Message).Should().Contain("Event 4");
    }
}
