using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>A writer process killed with SIGKILL while it logs as fast as it can, several times over on one file.</summary>
[Category(Needs.Sqlite3Client)]
[Category(Needs.Slow)]
public class CrashTests
{
    [Test]
    public void AKilledWriterLeavesAnIntactFileOfWholeBatchesAndTheNextWriterCarriesOn()
    {
        using var folder = new TempFolder();
        var path = folder.File("crash.db");
        long rowsBefore = 0;

        for (var round = 0; round < 3; round++)
        {
            using (var writer = WriterProcess.Start(path, "--name", $"killed{round}", "--threads", "4", "--events", "0",
                       "--batch-size", "500", "--buffering-ms", "20"))
            {
                writer.WaitUntilStarted();
                WaitForRows(path, rowsBefore + 20_000 + round * 7_000);
                writer.Kill();
            }

            Sqlite3Client.Run(path, "PRAGMA integrity_check;").Should().Equal("ok");
            var workers = WorkerEvents.Read(path);
            workers.Where(w => w.Worker.StartsWith($"killed{round}-", StringComparison.Ordinal)).Should().HaveCount(4);
            workers.Should().OnlyContain(w => w.IsGapFreePrefix,
                "a crash keeps whole batches, so each worker's events are 0..n-1, each once");
            var rows = Database.Count(path, "logs");
            rows.Should().BeGreaterThan(rowsBefore);
            rowsBefore = rows;
        }

        using (var writer = WriterProcess.Start(path, "--name", "after", "--threads", "2", "--events", "5000"))
            writer.WaitForSuccess(TimeSpan.FromSeconds(60));

        Sqlite3Client.Run(path, "PRAGMA integrity_check;").Should().Equal("ok");
        var after = WorkerEvents.Read(path).Where(w => w.Worker.StartsWith("after-", StringComparison.Ordinal)).ToList();
        after.Should().HaveCount(2).And.OnlyContain(w => w.IsGapFreePrefix && w.Count == 5000);
        Database.Count(path, "logs").Should().Be(rowsBefore + 10_000);
    }

    static void WaitForRows(string path, long rows)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path) && TryCount(path) >= rows)
                return;
            Thread.Sleep(20);
        }

        Assert.Fail($"The writer did not reach {rows} rows within 60 s.");
    }

    static long TryCount(string path)
    {
        try
        {
            return Database.Count(path, "logs");
        }
        catch (System.Data.SQLite.SQLiteException)
        {
            return 0; // the table is not there yet
        }
    }
}
