using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

public class CheckpointTests
{
    [Test]
    public async Task CommittedBatchesAreCheckpointedIntoTheDatabaseFileWhileTheSinkRuns()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using var sink = SinkFactory.Create(path);
        await sink.EmitBatchAsync([Some.LogEvent()]);
        var before = new FileInfo(path).Length;
        await sink.EmitBatchAsync(Enumerable.Range(0, 1000).Select(i => Some.LogEvent($"Event {i} {new string('x', 200)}")).ToList());

        // The background checkpointer copies the log into the file; poll for it, with a deadline far beyond need.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (new FileInfo(path).Length <= before && DateTime.UtcNow < deadline)
            await Task.Delay(20);

        new FileInfo(path).Length.Should().BeGreaterThan(before);
    }

    [Test]
    public async Task TheWritersOwnCheckpointsStayOnAsABackstop()
    {
        using var folder = new TempFolder();
        using var sink = SinkFactory.Create(folder.File("logs.db"));
        await sink.EmitBatchAsync([Some.LogEvent()]);

        Database.Query(sink.Connection!, "PRAGMA wal_autocheckpoint").Single().Values.Single()
            .Should().Be((long)WalCheckpointer.WriterAutoCheckpointPages);
    }

    [Test]
    public async Task DisposingTheSinkCheckpointsEverythingAndRemovesTheLog()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var sink = SinkFactory.Create(path))
            await sink.EmitBatchAsync(Enumerable.Range(0, 100).Select(i => Some.LogEvent($"Event {i}")).ToList());

        File.Exists(path + "-wal").Should().BeFalse();
        Database.Count(path, "logs").Should().Be(100);
    }

    [Test]
    public async Task AnInMemoryDatabaseNeedsNoCheckpointer()
    {
        using var sink = SinkFactory.Create(":memory:");
        await sink.EmitBatchAsync([Some.LogEvent()]);

        Database.Query(sink.Connection!, "SELECT COUNT(*) AS n FROM logs").Single()["n"].Should().Be(1L);
    }
}
