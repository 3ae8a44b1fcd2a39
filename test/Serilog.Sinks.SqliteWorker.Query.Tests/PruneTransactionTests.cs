using System.Data.SQLite;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Query.Tests;

/// <summary>
/// DeleteOlderThan deletes in transactions of at most 5,000 rows, so that the sink, which needs the same write lock
/// for each batch, never waits for the whole purge.
/// </summary>
public sealed class PruneTransactionTests
{
    [Category(Needs.Sqlite3Client)]
    [Test]
    public void DeleteOlderThanCommitsAtMostFiveThousandRowsAtATime()
    {
        using var folder = new TempFolder();
        var path = folder.File("prune.db");
        var cutoff = DateTimeOffset.UtcNow.AddDays(-30);
        SinkDatabase.Write(path, logger =>
        {
            for (var i = 0; i < 12_345; i++)
                logger.Write(TestEvent.At(cutoff.AddMinutes(-1 - i), LogEventLevel.Information, "Old {N}", properties: ("N", i)));
            logger.Write(TestEvent.At(cutoff.AddMinutes(1), LogEventLevel.Information, "Recent"));
        });

        // Every connection the library opens on this file reports the rows each of its transactions deleted.
        var deletedPerCommit = new List<int>();
        var deleted = 0;
        void Watch(object? sender, ConnectionEventArgs e)
        {
            if (e.EventType != SQLiteConnectionEventType.Opened || sender is not SQLiteConnection connection ||
                !string.Equals(Path.GetFullPath(connection.FileName), Path.GetFullPath(path), StringComparison.Ordinal))
                return;
            connection.Update += (_, update) => deleted += update.Event == UpdateEventType.Delete ? 1 : 0;
            connection.Commit += (_, _) =>
            {
                deletedPerCommit.Add(deleted);
                deleted = 0;
            };
        }

        SQLiteConnection.Changed += Watch;
        try
        {
            using var db = SqliteWorkerDatabase.Open(path);
            db.DeleteOlderThan(cutoff).Should().Be(new PruneResult { LogsDeleted = 12_345, MetricsDeleted = 0 });
        }
        finally
        {
            SQLiteConnection.Changed -= Watch;
        }

        deletedPerCommit.Where(n => n > 0).Should().Equal(5000, 5000, 2345);
        Sqlite3Client.Scalar(path, "SELECT group_concat(message) FROM logs;").Should().Be("Recent");
    }
}
