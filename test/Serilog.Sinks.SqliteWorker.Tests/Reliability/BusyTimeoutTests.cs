using System.Diagnostics;
using Serilog.Core;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// Against a file another process keeps locked, an attempt fails after busyTimeout, and closing the logger takes at
/// most one more. The bounds are the documented ones with slack for a loaded machine, far below what a second retry
/// loop on top of SQLite's would take (30 s or more).
/// </summary>
[Category(Needs.Sqlite3Client)]
public class BusyTimeoutTests
{
    static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    [TestCase(1)]
    [TestCase(10)]
    public void AnAttemptOnALockedFileFailsAfterTheBusyTimeoutAndIsRetried(int seconds)
    {
        var busyTimeout = TimeSpan.FromSeconds(seconds);
        using var folder = new TempFolder();
        var path = AFileInWalMode(folder);
        var failures = new FailureCollector();
        using var holder = LockHolder.Take(path);
        var clock = Stopwatch.StartNew();
        using (var logger = CreateLogger(path, busyTimeout, failures))
        {
            logger.Information("Locked out");
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Temporary, busyTimeout + TimeSpan.FromSeconds(60)).Should().BeTrue();
            var firstFailure = clock.Elapsed;

            firstFailure.Should().BeGreaterThan(busyTimeout - TimeSpan.FromMilliseconds(100), "the writer waits for the lock as long as busyTimeout says")
                .And.BeLessThan(busyTimeout + Slack, "and no longer than that");
            var failure = failures.Failures.First();
            failure.Text.Should().Contain($"'{path}'").And.Contain("locked").And.Contain("tried again");
            failure.Events.Should().ContainSingle();
        }
    }

    [TestCase(1)]
    [TestCase(10)]
    public void ClosingTheLoggerWhileTheWriterWaitsOnALockTakesAtMostOneBusyTimeout(int seconds)
    {
        var busyTimeout = TimeSpan.FromSeconds(seconds);
        using var folder = new TempFolder();
        var path = AFileInWalMode(folder);
        var failures = new FailureCollector();
        using var holder = LockHolder.Take(path);
        var logger = CreateLogger(path, busyTimeout, failures);
        for (var i = 0; i < 5; i++)
            logger.Information("Locked out {Index}", i);
        failures.WaitFor(f => f.Kind == LoggingFailureKind.Temporary, busyTimeout + TimeSpan.FromSeconds(60)).Should().BeTrue();
        // The retry starts after the buffering time (0.1 s) and waits on the lock: the logger is closed half way through
        // it. Were the machine slow to get there, the close would come between attempts, which the bound covers too.
        Thread.Sleep(busyTimeout / 2);

        var clock = Stopwatch.StartNew();
        logger.Dispose();

        clock.Elapsed.Should().BeLessThan(busyTimeout + TimeSpan.FromSeconds(1) + Slack, "closing waits for the lock once at most");
        var lost = failures.Failures.Where(f => f.Kind == LoggingFailureKind.Final).ToList();
        lost.Sum(f => f.Events.Count).Should().Be(5, "what could not be written is reported as lost, each event once");
        lost[0].Text.Should().Contain($"'{path}'").And.Contain("locked");
        failures.Failures.Should().OnlyContain(f => f.Kind == LoggingFailureKind.Temporary || f.Kind == LoggingFailureKind.Final);
        Database.Count(path, "logs").Should().Be(1, "only the event that made the file is in it");
    }

    static string AFileInWalMode(TempFolder folder)
    {
        var path = folder.File("logs.db");
        // A file in WAL mode, as the sink leaves it: on a file with no pages yet, the switch to WAL finds the lock at once.
        using (var first = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            first.Information("Makes the file");
        return path;
    }

    static Logger CreateLogger(string path, TimeSpan busyTimeout, FailureCollector failures) =>
        new LoggerConfiguration()
            .WriteTo.Fallible(wt => wt.SqliteWorker(path, bufferingTimeLimit: TimeSpan.FromMilliseconds(100), busyTimeout: busyTimeout),
                failures)
            .CreateLogger();
}
