using System.Collections.Concurrent;
using System.Data.SQLite;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// The sink's own thread from the outside: when it writes a batch, what it says when a batch fails and is retried, what
/// it reports and counts as lost when the file is locked at close, and what closing leaves behind. The lock is another
/// connection of this process holding the write lock, as any other writer would.
/// </summary>
public class WriterLoopTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public void WithNoBufferingTimeToSpeakOfEventsThatTrickleInWaitForAFullBatch()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var written = new BlockingCollection<SqliteWorkerBatchWritten>();
        var options = new SqliteWorkerSinkOptions { DatabasePath = path, OnBatchWritten = written.Add };
        var batching = new BatchingOptions { BatchSizeLimit = 10, BufferingTimeLimit = TimeSpan.MaxValue, EagerlyEmitFirstEvent = false };

        using (var sink = AuditedSink.Create(options, new FailureCollector(), batching))
        {
            // A writer that took what it found would take these one or two at a time.
            for (var i = 0; i < 10; i++)
            {
                sink.Logger.Information("Event {Seq}", i);
                Thread.Sleep(20);
            }

            written.TryTake(out var batch, Patience).Should().BeTrue("ten events fill the batch, whatever the buffering time");
            batch!.LogsWritten.Should().Be(10, "no batch is written before it is full when the buffering time never comes");
        }
    }

    [Test]
    public void AFailedBatchIsSaidToBeTriedAgainUntilItIsGivenUpAndItsEventsAreCounted()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        CreateTables(path);
        var failures = new FailureCollector();
        var options = new SqliteWorkerSinkOptions { DatabasePath = path, BusyTimeout = TimeSpan.FromMilliseconds(50) };
        var batching = new BatchingOptions { BufferingTimeLimit = TimeSpan.FromMilliseconds(100), RetryTimeLimit = TimeSpan.FromSeconds(1) };

        using (HoldTheWriteLock(path))
        using (var sink = AuditedSink.Create(options, failures, batching))
        {
            // One event: the first is written at once, so a second could be in its batch or the next.
            sink.Logger.Information("One");
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Permanent, Patience).Should().BeTrue();
        }

        var reports = failures.Failures;
        var givenUp = reports.Single(f => f.Kind == LoggingFailureKind.Permanent);
        var attempts = reports.TakeWhile(f => f != givenUp).ToList();
        // Tried at once, again after the buffering time, then after a pause that doubles from 5 s but is cut to the
        // limit: three attempts, or four when the clock's milliseconds round the third just under the limit.
        attempts.Should().HaveCountGreaterThan(1).And.HaveCountLessThanOrEqualTo(4).And.OnlyContain(f => f.Kind == LoggingFailureKind.Temporary);
        attempts[0].Message.Should().Be("writing a batch of 1 event failed; it will be tried again in 00:00:00.1000000");
        attempts.SkipLast(1).Should().OnlyContain(f => f.Message.StartsWith("writing a batch of 1 event failed; it will be tried again in "));
        attempts.Last().Message.Should().Be("writing a batch of 1 event failed", "the last attempt is not followed by another");
        givenUp.Message.Should().Be("a batch of 1 event could not be written for 00:00:01 (the retry time limit) and was dropped");
        givenUp.Events.Should().ContainSingle().Which.MessageTemplate.Text.Should().Be("One");
    }

    [Test]
    public void ABatchNeverTriedThatFailsAtCloseIsLostAndSaidToBe()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        CreateTables(path);
        var failures = new FailureCollector();
        var options = new SqliteWorkerSinkOptions { DatabasePath = path, BusyTimeout = TimeSpan.FromMilliseconds(50) };
        // Nothing is written before the close: the batch is not full, and its time is an hour away.
        var batching = new BatchingOptions { BatchSizeLimit = 10, BufferingTimeLimit = TimeSpan.FromHours(1), EagerlyEmitFirstEvent = false };
        AuditedSink sink;

        using (HoldTheWriteLock(path))
        using (sink = AuditedSink.Create(options, failures, batching))
        {
            for (var i = 0; i < 3; i++)
                sink.Logger.Information("Event {Seq}", i);
        }

        var lost = failures.Failures.Should().ContainSingle().Subject;
        lost.Kind.Should().Be(LoggingFailureKind.Final);
        lost.Message.Should().Be("writing a batch of 3 events failed when the sink was closed, and it is lost");
        lost.Events.Should().HaveCount(3);
        sink.Counters.Dropped.Should().Be(3);
    }

    [Test]
    public void AtCloseTheBatchThatFailedAndEveryBatchQueuedBehindItAreEachReportedAsLostAndCounted()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        CreateTables(path);
        var failures = new FailureCollector();
        var options = new SqliteWorkerSinkOptions { DatabasePath = path, BusyTimeout = TimeSpan.FromMilliseconds(50) };
        // The first batch fails, and its next attempt is an hour away, while three more events queue behind it.
        var batching = new BatchingOptions { BatchSizeLimit = 2, BufferingTimeLimit = TimeSpan.FromHours(1), EagerlyEmitFirstEvent = false };
        AuditedSink sink;

        using (HoldTheWriteLock(path))
        using (sink = AuditedSink.Create(options, failures, batching))
        {
            sink.Logger.Information("First");
            sink.Logger.Information("Second");
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Temporary, Patience).Should().BeTrue();
            for (var i = 0; i < 3; i++)
                sink.Logger.Information("Behind {Seq}", i);
        }

        var lost = failures.Failures.Where(f => f.Kind == LoggingFailureKind.Final).ToList();
        lost.Select(f => f.Message).Should().Equal(
            "the last batch that failed, 2 events, failed again when the sink was closed and is lost",
            "2 events still queued when the sink was closed are lost",
            "1 event still queued when the sink was closed are lost");
        lost.Select(f => f.Events.Count).Should().Equal(2, 2, 1);
        lost[0].Events.Select(e => e.MessageTemplate.Text).Should().Equal("First", "Second");
        sink.Counters.Dropped.Should().Be(5);
        sink.Counters.Queued.Should().Be(0);
    }

    [Test]
    public async Task DisposingAsynchronouslyWritesEverythingQueuedAndLetsGoOfTheFile()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var options = new SqliteWorkerSinkOptions { DatabasePath = path };
        var batching = new BatchingOptions { BatchSizeLimit = 100, BufferingTimeLimit = TimeSpan.FromHours(1), EagerlyEmitFirstEvent = false };
        var sink = AuditedSink.Create(options, new FailureCollector(), batching);
        for (var i = 0; i < 1050; i++)
            sink.Logger.Information("Event {Seq}", i);

        await sink.Logger.DisposeAsync();

        sink.Counters.LogsWritten.Should().Be(1050, "the sink counts each row as it commits it");
        File.Exists(path + "-wal").Should().BeFalse("the last connection to close copies the log into the file and deletes it");
        Database.Count(path, "logs").Should().Be(1050);
        // Once closed, disposing again does nothing, and says nothing.
        await sink.Writer.DisposeAsync();
        sink.Writer.Dispose();
    }

    [Test]
    public void DisposingLetsGoOfTheFile()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var sink = AuditedSink.Create(path, new FailureCollector());
        sink.Logger.Information("Hello");

        sink.Dispose();

        File.Exists(path + "-wal").Should().BeFalse("the last connection to close copies the log into the file and deletes it");
        Database.Count(path, "logs").Should().Be(1);
    }

    [Test]
    public void AnIdleSinkStillDeletesRowsAsTheyExpire()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var options = new SqliteWorkerSinkOptions { DatabasePath = path, RetentionPeriod = TimeSpan.FromMilliseconds(300) };
        var batching = new BatchingOptions { BufferingTimeLimit = TimeSpan.FromMilliseconds(50) };

        var written = new ConcurrentQueue<SqliteWorkerBatchWritten>();
        options.OnBatchWritten = written.Enqueue;

        using (var sink = AuditedSink.Create(options, new FailureCollector(), batching))
        {
            sink.Logger.Information("Expires while nothing else is logged");
            Poll.Until(() => sink.Counters.LogsWritten == 1);

            // The turn after the batch finds it too young; only the turns while the sink waits for events can delete it.
            Poll.Until(() => Database.Count(path, "logs") == 0);
        }

        written.Should().ContainSingle("the idle turns write no batch of their own").Which.LogsWritten.Should().Be(1);
    }

    [Test]
    public void ACallerWaitingForRoomWhenTheSinkClosesGoesOnAndItsEventIsCountedAsRefused()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        CreateTables(path);
        var failures = new FailureCollector();
        var options = new SqliteWorkerSinkOptions { DatabasePath = path, BusyTimeout = TimeSpan.FromMilliseconds(50), BlockWhenFull = true };
        // A queue of one, whose event cannot be written and is not tried again for an hour.
        var batching = new BatchingOptions { QueueLimit = 1, BufferingTimeLimit = TimeSpan.FromHours(1) };
        var sink = AuditedSink.Create(options, failures, batching);
        Thread waiting;

        using (HoldTheWriteLock(path))
        {
            sink.Logger.Information("Fills the queue");
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Temporary, Patience).Should().BeTrue();
            waiting = new Thread(() => sink.Logger.Information("Waits for room")) { IsBackground = true };
            waiting.Start();
            Poll.Until(() => waiting.ThreadState.HasFlag(ThreadState.WaitSleepJoin));

            sink.Dispose();
        }

        waiting.Join(Patience).Should().BeTrue("closing the sink releases a caller waiting for room");
        sink.Counters.Refused.Should().Be(1, "the waiting caller's event never had a place in the queue");
        sink.Counters.Dropped.Should().Be(2);
        sink.Counters.Queued.Should().Be(0);
        failures.Failures.SelectMany(f => f.Events).Select(e => e.MessageTemplate.Text).Should().OnlyContain(t => t == "Fills the queue");
    }

    [Test]
    public void AFailureListenerCannotBeNull()
    {
        using var folder = new TempFolder();
        using var sink = AuditedSink.Create(folder.File("logs.db"), new FailureCollector());

        var setting = () => sink.Writer.SetFailureListener(null!);

        setting.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("failureListener");
    }

    static void CreateTables(string path)
    {
        using var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger();
    }

    /// <summary>Another connection holding the write lock (BEGIN IMMEDIATE) until disposed.</summary>
    static IDisposable HoldTheWriteLock(string path)
    {
        var connection = new SQLiteConnection($"Data Source={path}");
        connection.Open();
        var transaction = connection.BeginTransaction();
        return new Releaser(() =>
        {
            transaction.Dispose();
            connection.Dispose();
        });
    }

    sealed class Releaser(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
