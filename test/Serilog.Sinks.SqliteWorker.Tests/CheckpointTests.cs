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

    // SQLite counts the backstop in pages: 64 MB is 16,384 pages of 4 KB, and 4,096 of 16 KB.
    [Category(Needs.Sqlite3Client)]
    [TestCase(4096, 16_384L)]
    [TestCase(16384, 4_096L)]
    public async Task TheWritersOwnCheckpointsStayOnAsABackstopAt64MegabytesOfLog(int pageSize, long pages)
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        Sqlite3Client.Run(path, $"PRAGMA page_size = {pageSize}; CREATE TABLE mine (body TEXT);");
        using var sink = SinkFactory.Create(path);
        await sink.EmitBatchAsync([Some.LogEvent()]);

        Database.Query(sink.Connection!, "PRAGMA wal_autocheckpoint").Single().Values.Single().Should().Be(pages);
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
