using System.Collections.Concurrent;
using System.Diagnostics;
using Serilog.Configuration;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>
/// When the sink's writer writes, as Serilog's batching would: the first event at once, then a batch whenever
/// <c>BatchSizeLimit</c> rows wait, the rest when the buffering time has passed or the logger is disposed.
/// </summary>
public class BatchingOptionsTests
{
    // Long enough that nothing in these tests is written because the buffering time passed.
    static readonly TimeSpan Never = TimeSpan.FromMinutes(10);

    [Test]
    public void TheFirstEventIsWrittenAtOnceAndLaterOnesWhenABatchIsFull()
    {
        using var folder = new TempFolder();
        var batches = new ConcurrentQueue<int>();
        using var logger = CreateLogger(folder.File("logs.db"), batches, new BatchingOptions { BatchSizeLimit = 5, BufferingTimeLimit = Never });

        logger.Information("First");
        Poll.Until(() => batches.Count == 1);
        for (var i = 0; i < 12; i++)
            logger.Information("Event {Index}", i);

        Poll.Until(() => batches.Count >= 3);
        batches.Should().Equal(1, 5, 5);

        // The last 2 events wait for a full batch: the 3 that fill it are written with them, in one batch of 5.
        for (var i = 12; i < 15; i++)
            logger.Information("Event {Index}", i);
        Poll.Until(() => batches.Count >= 4);
        batches.Should().Equal([1, 5, 5, 5], "the last 2 events wait for a full batch or the buffering time");
    }

    [Test]
    public void WithoutEagerFirstEventTheFirstEventWaitsForAFullBatch()
    {
        using var folder = new TempFolder();
        var batches = new ConcurrentQueue<int>();
        using var logger = CreateLogger(folder.File("logs.db"), batches,
            new BatchingOptions { BatchSizeLimit = 3, BufferingTimeLimit = Never, EagerlyEmitFirstEvent = false });

        logger.Information("First");
        logger.Information("Second");
        logger.Information("Third");
        Poll.Until(() => batches.Count == 1);
        batches.Should().Equal([3], "the first event waits for the batch that the third fills");
    }

    [Test]
    public void WhatWaitsIsWrittenWhenTheBufferingTimePasses()
    {
        using var folder = new TempFolder();
        var bufferingTime = TimeSpan.FromMilliseconds(500);
        var batches = new ConcurrentQueue<(int Events, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        using var logger = new LoggerConfiguration()
            .WriteTo.SqliteWorker(
                new SqliteWorkerSinkOptions { DatabasePath = folder.File("logs.db"), OnBatchWritten = b => batches.Enqueue((b.LogsWritten, clock.Elapsed)) },
                new BatchingOptions { BatchSizeLimit = 1000, BufferingTimeLimit = bufferingTime, EagerlyEmitFirstEvent = false })
            .CreateLogger();

        for (var i = 0; i < 7; i++)
            logger.Information("Event {Index}", i);

        Poll.Until(() => batches.Count == 1);
        var (events, at) = batches.Single();
        events.Should().Be(7, "what waited is written together");
        // A lower bound only, which no slow machine can break: the writer counts the buffering time from its start,
        // after the clock's, by a clock coarser than the Stopwatch's (hence the few milliseconds of slack).
        at.Should().BeGreaterThanOrEqualTo(bufferingTime - TimeSpan.FromMilliseconds(50), "nothing is written before the buffering time passes");
    }

    [Test]
    public void EventsLoggedAfterTheLoggerIsDisposedAreIgnored()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var failures = new FailureCollector();
        var sink = AuditedSink.Create(path, failures);
        sink.Logger.Information("Before");
        sink.Dispose();

        var logging = () => sink.Writer.Emit(Some.LogEvent("After"));

        logging.Should().NotThrow();
        sink.Counters.Queued.Should().Be(0, "the event was not queued where no writer is left to write it");
        failures.Failures.Should().BeEmpty("an event after dispose is ignored, not reported");
        Database.Query(path, "SELECT message FROM logs").Select(r => (string)r["message"]!).Should().Equal("Before");
    }

    static Core.Logger CreateLogger(string path, ConcurrentQueue<int> batches, BatchingOptions batching) =>
        new LoggerConfiguration()
            .WriteTo.SqliteWorker(
                new SqliteWorkerSinkOptions { DatabasePath = path, OnBatchWritten = b => batches.Enqueue(b.LogsWritten + b.MetricsWritten) },
                batching)
            .CreateLogger();
}
