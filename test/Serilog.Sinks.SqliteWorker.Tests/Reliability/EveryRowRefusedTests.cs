using Serilog.Configuration;
using Serilog.Core;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// When the database refuses every row of a batch alike, the cause is not in the events: the batch is kept and tried
/// again whole, rather than dropped one event at a time.
/// </summary>
[Category(Needs.Sqlite3Client)]
public class EveryRowRefusedTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public void ABatchWhoseEveryRowIsRefusedIsATemporaryFailureAndIsWrittenOnceTheCauseIsGone()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using (var first = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            first.Information("Creates the tables");
        Sqlite3Client.Run(path, "CREATE TRIGGER refuse_all BEFORE INSERT ON logs BEGIN SELECT RAISE(ABORT, 'refused for now'); END;");
        var failures = new FailureCollector();

        using (var logger = new LoggerConfiguration()
                   .WriteTo.Fallible(wt => wt.SqliteWorker(
                       new SqliteWorkerSinkOptions { DatabasePath = path },
                       // One batch of the three events, and no retry before the logger is closed.
                       new BatchingOptions { BatchSizeLimit = 3, BufferingTimeLimit = TimeSpan.FromHours(1), EagerlyEmitFirstEvent = false }),
                       failures)
                   .CreateLogger())
        {
            for (var i = 0; i < 3; i++)
                logger.Information("Event {Seq}", i);

            failures.WaitFor(_ => true, Patience).Should().BeTrue("the batch fails while the trigger refuses every row");
            Sqlite3Client.Run(path, "DROP TRIGGER refuse_all;");
        }

        var reports = failures.Failures;
        reports.Should().NotContain(f => f.Kind != LoggingFailureKind.Temporary, "no event was dropped");
        reports.First().Events.Should().HaveCount(3, "the batch failed whole");
        reports.First().Text.Should().Contain("failed alike").And.Contain("refused for now");
        Database.Scalar(path, "SELECT COUNT(DISTINCT json_extract(properties, '$.Seq')) FROM logs WHERE message_template = 'Event {Seq}'")
            .Should().Be(3L, "the batch was written whole when the logger was closed");
    }
}
