using System.Collections.Concurrent;
using Serilog.Configuration;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// A batch written row by row, because the database refused one of its rows, reports the log rows it wrote by level,
/// as a batch written whole does: the refused row and the metric rows are not counted at any level.
/// </summary>
[Category(Needs.Sqlite3Client)]
public class RowByRowLevelCountTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public void TheLogRowsWrittenBesideARefusedOneAreCountedByLevel()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using (var first = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            first.Information("Creates the tables");
        Sqlite3Client.Run(path, "CREATE TRIGGER no_poison BEFORE INSERT ON logs WHEN NEW.message LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'poison refused'); END;");
        var written = new BlockingCollection<SqliteWorkerBatchWritten>();

        using (var logger = new LoggerConfiguration()
                   .WriteTo.SqliteWorker(new SqliteWorkerSinkOptions { DatabasePath = path, OnBatchWritten = written.Add },
                       new BatchingOptions { BatchSizeLimit = 5, BufferingTimeLimit = TimeSpan.FromHours(1), EagerlyEmitFirstEvent = false })
                   .CreateLogger())
        {
            logger.Information("Kept information");
            logger.Warning("Kept warning 1");
            logger.Error("A poison event");
            logger.Metric("kept_metric", 1);
            logger.Warning("Kept warning 2");
            written.TryTake(out var batch, Patience).Should().BeTrue("the five events fill one batch");

            batch!.LogsWritten.Should().Be(3);
            batch.LogsWrittenAt(LogEventLevel.Information).Should().Be(1);
            batch.LogsWrittenAt(LogEventLevel.Warning).Should().Be(2);
            batch.LogsWrittenAt(LogEventLevel.Error).Should().Be(0, "the error row was refused");
            Enum.GetValues<LogEventLevel>().Sum(batch.LogsWrittenAt).Should().Be(3, "the metric row has no level");
        }
    }
}
