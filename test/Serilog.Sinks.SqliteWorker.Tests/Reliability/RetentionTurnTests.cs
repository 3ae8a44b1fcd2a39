using System.Data.SQLite;
using System.Globalization;
using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Sinks.SqliteWorker.Tests.Support;
using static Serilog.Sinks.SqliteWorker.Tests.Support.RetentionFiles;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// Turns of retention run by hand on a file set up for each case: how far a size limit deletes, what a metrics backlog
/// or a period past the calendar does to a turn, what is said when the sink's tables are not what takes the room, and
/// what a failed turn says it was doing.
/// </summary>
public partial class RetentionTurnTests
{
    const long OneMegabyte = 1024 * 1024;

    [Test]
    public async Task OverTheLimitRowsAreDeletedDownToNineTenthsOfItInAFewChunks()
    {
        using var folder = new TempFolder();
        var path = folder.File("over.db");
        await CreateTables(path);
        // Small rows, so that a chunk of 2,000 frees about 200 KB and the excess takes several.
        Insert(path, "logs", MillisecondsApart(DateTimeOffset.UtcNow.AddDays(-1), 14_000), paddingBytes: 10);
        Database.UsedBytes(path).Should().BeGreaterThan(OneMegabyte + OneMegabyte / 4);
        using var connection = Open(path);
        var deleteCommits = CountDeleteCommits(connection);
        var policy = Policy(new SqliteWorkerSinkOptions { MaxDatabaseSize = OneMegabyte }, path);

        for (var turn = 0; turn < 50 && Database.UsedBytes(path) > OneMegabyte * 0.9; turn++)
            policy.RunIfDue(connection, batchWaiting: false);

        Database.UsedBytes(path).Should().BeLessThanOrEqualTo((long)(OneMegabyte * 0.9), "once over the limit, rows go until the file is under nine tenths of it");
        Database.Count(path, "logs").Should().BeGreaterThan(4000, "what is deleted is about the excess, not most of the file");
        deleteCommits().Should().BeInRange(2, 8, "each chunk is as large as the excess asks, up to 2,000 rows");
    }

    [Test]
    public async Task ABacklogOfExpiredMetricsAloneIsDeletedInOneTurnThatHasTheTime()
    {
        using var folder = new TempFolder();
        var path = folder.File("metrics.db");
        await CreateTables(path);
        Insert(path, "metrics", MillisecondsApart(DateTimeOffset.UtcNow.AddDays(-2), 2 * RetentionPolicy.ChunkRows + 500), paddingBytes: 0);
        using var connection = Open(path);
        var policy = Policy(new SqliteWorkerSinkOptions { RetentionPeriod = TimeSpan.FromHours(1) }, path, turnBudget: TimeSpan.FromMinutes(10));

        policy.RunIfDue(connection, batchWaiting: false).Should().BeTrue();

        Database.Count(path, "metrics").Should().Be(0, "a turn goes on to the next chunk while the last one deleted rows, whichever table held them");
        Database.Count(path, "logs").Should().Be(1);
    }

    [Test]
    public async Task APeriodLongerThanTheCalendarReachesBackDeletesNothingAndIsNoFailure()
    {
        using var folder = new TempFolder();
        var path = folder.File("forever.db");
        await CreateTables(path);
        Insert(path, "logs", MillisecondsApart(DateTimeOffset.UnixEpoch, 10), paddingBytes: 0);
        var failures = new FailureCollector();
        using var connection = Open(path);
        var policy = Policy(new SqliteWorkerSinkOptions { RetentionPeriod = TimeSpan.MaxValue }, path, listener: failures);

        policy.RunIfDue(connection, batchWaiting: false).Should().BeFalse("nothing is old enough to go");

        Database.Count(path, "logs").Should().Be(11);
        failures.Failures.Should().BeEmpty();
    }

    [Test]
    public async Task WhenOtherTablesTakeTheFileOverTheLimitTheSinkSaysSoOnceAndLeavesThemAlone()
    {
        using var folder = new TempFolder();
        var path = folder.File("shared.db");
        await CreateTables(path);
        Database.Query(path, "DELETE FROM logs; CREATE TABLE notes (body TEXT); " +
                      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO notes SELECT hex(zeroblob(500)) FROM n;");
        var used = Database.UsedBytes(path);
        used.Should().BeGreaterThan(OneMegabyte);
        var failures = new FailureCollector();
        using var connection = Open(path);
        var policy = Policy(new SqliteWorkerSinkOptions { MaxDatabaseSize = OneMegabyte }, path, listener: failures);

        var notes = CaptureSelfLog(() =>
        {
            for (var turn = 0; turn < 3; turn++)
                policy.RunIfDue(connection, batchWaiting: false).Should().BeFalse("there is nothing of the sink's to delete");
        });

        notes.Should().ContainSingle("it is said once, not at every turn").Which.Should().Be(
            $"SqliteWorker: '{path}' uses {used} bytes, more than maxDatabaseSize (1048576), though the sink's tables are " +
            "empty; the rest belongs to other tables, which the sink leaves alone");
        Database.Count(path, "notes").Should().Be(2000);
        failures.Failures.Should().BeEmpty();
    }

    [Test]
    public async Task AFileWithoutAutoVacuumOverItsLimitIsNamedWithItsSizeAndTheLimit()
    {
        using var folder = new TempFolder();
        var path = folder.File("no-vacuum.db");
        await CreateTables(path);
        Insert(path, "logs", MillisecondsApart(DateTimeOffset.UtcNow.AddDays(-1), 4000), paddingBytes: 500);
        var limit = new FileInfo(path).Length / 2 / 4096 * 4096;
        using var connection = Open(path);
        var policy = Policy(new SqliteWorkerSinkOptions { MaxDatabaseSize = limit }, path);

        var notes = CaptureSelfLog(() =>
        {
            for (var turn = 0; turn < 50; turn++)
                policy.RunIfDue(connection, batchWaiting: false);
        });

        var note = notes.Should().ContainSingle().Subject;
        var size = long.Parse(SizeInNote().Match(note).Groups[1].Value, CultureInfo.InvariantCulture);
        note.Should().StartWith($"SqliteWorker: '{path}' is {size} bytes, more than maxDatabaseSize ({limit}). ");
        size.Should().BeGreaterThan(limit).And.Be(
            (long)Database.Scalar(path, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")!);
    }

    [Test]
    public async Task GivingSpaceBackThatALockKeepsOutIsReportedAsSuchAndTriedAgainLater()
    {
        using var folder = new TempFolder();
        var path = folder.File("locked.db");
        // Made with incremental auto-vacuum, as the sink makes a file under a size limit; most of it free pages.
        await CreateTables(path, maxDatabaseSize: 1024 * OneMegabyte);
        Insert(path, "logs", MillisecondsApart(DateTimeOffset.UtcNow.AddDays(-1), 4000), paddingBytes: 500);
        Database.Query(path, "DELETE FROM logs WHERE message = 'Old'; PRAGMA wal_checkpoint(TRUNCATE);");
        var failures = new FailureCollector();
        using var connection = Open(path, busyTimeoutMilliseconds: 50);
        var policy = Policy(new SqliteWorkerSinkOptions { MaxDatabaseSize = OneMegabyte }, path, listener: failures);
        var pagesBefore = PageCount(path);

        using (var holder = Open(path))
        using (holder.BeginTransaction())
        {
            policy.RunIfDue(connection, batchWaiting: false).Should().BeTrue("the turn may have changed the file");
            policy.RunIfDue(connection, batchWaiting: false).Should().BeFalse("a failed turn waits 30 s before the next");
        }

        var failure = failures.Failures.Should().ContainSingle().Subject;
        failure.Kind.Should().Be(LoggingFailureKind.Temporary);
        failure.Message.Should().StartWith($"giving free space in '{path}' back to the disk failed and is tried again in 30 s; logging carries on: ");
        PageCount(path).Should().Be(pagesBefore, "nothing was given back while the lock was held");
    }

    [GeneratedRegex(@"^SqliteWorker: '[^']*' is (\d+) bytes")]
    private static partial Regex SizeInNote();

    static RetentionPolicy Policy(SqliteWorkerSinkOptions options, string path, TimeSpan? turnBudget = null, ILoggingFailureListener? listener = null)
    {
        var failures = new FailureReporter(new SinkCounters(), 1000, sender: "test");
        if (listener != null)
            failures.Listener = listener;
        return RetentionPolicy.Create(options, SinkSchema.Logs("logs", []), SinkSchema.Metrics("metrics"), DatabaseLocation.Resolve(path),
            failures, turnBudget ?? TimeSpan.Zero)!;
    }

    static IEnumerable<DateTimeOffset> MillisecondsApart(DateTimeOffset from, int count) =>
        Enumerable.Range(0, count).Select(i => from.AddMilliseconds(i));

    static long PageCount(string path) => (long)Database.Scalar(path, "PRAGMA page_count")!;

    /// <summary>Counts the transactions on <paramref name="connection"/> that deleted rows.</summary>
    static Func<int> CountDeleteCommits(SQLiteConnection connection)
    {
        var deleted = 0;
        var commits = 0;
        connection.Update += (_, e) => deleted += e.Event == UpdateEventType.Delete ? 1 : 0;
        connection.Commit += (_, _) =>
        {
            commits += deleted > 0 ? 1 : 0;
            deleted = 0;
        };
        return () => commits;
    }

    /// <summary>The lines SelfLog is given while <paramref name="action"/> runs.</summary>
    static List<string> CaptureSelfLog(Action action)
    {
        var selfLog = new StringWriter();
        SelfLog.Enable(TextWriter.Synchronized(selfLog));
        try
        {
            action();
        }
        finally
        {
            SelfLog.Disable();
        }

        // Each line starts with SelfLog's own timestamp and a space.
        return selfLog.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[(l.IndexOf(' ') + 1)..].TrimEnd('\r')).ToList();
    }

    static SQLiteConnection Open(string path, int busyTimeoutMilliseconds = 5000)
    {
        var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {busyTimeoutMilliseconds}";
        command.ExecuteNonQuery();
        return connection;
    }
}
