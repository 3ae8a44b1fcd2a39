using Serilog.Configuration;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>
/// What a log call costs the calling thread when the burst fits in the queue: the SQLite sink against a sink that does
/// nothing, with the same logger pipeline (ThreadId enricher) in front of both.
/// </summary>
static class CallerCost
{
    public static Measurement Run(string sink, string path, int producers, int burstPerProducer, int bursts, int? queueLimit)
    {
        long written = 0;
        var configuration = new LoggerConfiguration().Enrich.WithThreadId();
        SerilogBatchingFront? batching = null;
        // Rows in the file so far, for the sinks that write one.
        long Written() => batching?.Written ?? Volatile.Read(ref written);
        var writes = sink is "sqlite" or "batching";
        configuration = sink switch
        {
            "noop" => configuration.WriteTo.Sink(new NoOpSink()),
            "keep-values" or "keep-numbers" => configuration.WriteTo.Sink(new KeepForLaterSink(
                queueLimit ?? SqliteWorkerLoggerConfigurationExtensions.DefaultQueueLimit, numbersByValue: sink == "keep-numbers")),
            "batched-noop" => configuration.WriteTo.Sink(new NoOpBatchedSink(), new BatchingOptions
            {
                BatchSizeLimit = SqliteWorkerLoggerConfigurationExtensions.DefaultBatchSizeLimit,
                BufferingTimeLimit = TimeSpan.FromMilliseconds(100),
                QueueLimit = null,
            }),
            "sqlite" => configuration.WriteTo.SqliteWorker(
                new SqliteWorkerSinkOptions { DatabasePath = path, OnBatchWritten = b => Volatile.Write(ref written, b.TotalLogsWritten) },
                // A short buffering time only shortens the wait for the queue to empty between bursts.
                new BatchingOptions
                {
                    BatchSizeLimit = SqliteWorkerLoggerConfigurationExtensions.DefaultBatchSizeLimit,
                    BufferingTimeLimit = TimeSpan.FromMilliseconds(100),
                    QueueLimit = queueLimit ?? SqliteWorkerLoggerConfigurationExtensions.DefaultQueueLimit,
                }),
            "batching" => configuration.WriteTo.Sink(batching = new SerilogBatchingFront(path,
                queueLimit ?? SqliteWorkerLoggerConfigurationExtensions.DefaultQueueLimit, TimeSpan.FromMilliseconds(100))),
            _ => throw new ArgumentException($"Unknown sink '{sink}'."),
        };

        using var logger = configuration.CreateLogger();
        long emitted = 0;
        var nanoseconds = new List<double>();
        var pauses = new List<double>();
        var collections = new List<int>();
        // The first bursts warm up the JIT (its optimising tier too), the template cache and the database file; they
        // are not counted.
        const int warmUpBursts = 3;
        for (var burst = 0; burst < warmUpBursts + bursts; burst++)
        {
            var pausedBefore = GC.GetTotalPauseDuration();
            var collectionsBefore = GC.CollectionCount(0);
            var elapsed = Producers.Run(logger, producers, burstPerProducer);
            emitted += (long)producers * burstPerProducer;
            if (burst >= warmUpBursts)
            {
                nanoseconds.Add(elapsed.Average(e => e.TotalNanoseconds) / burstPerProducer);
                pauses.Add((GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds);
                collections.Add(GC.CollectionCount(0) - collectionsBefore);
            }

            // Each burst starts with an empty queue, as a burst that fits in the queue would.
            while (writes && Written() < emitted)
                Thread.Sleep(10);
            Thread.Sleep(250);
        }

        nanoseconds.Sort();
        pauses.Sort();
        collections.Sort();
        return new Measurement
        {
            Configuration = $"caller-{sink}",
            NanosecondsPerCall = nanoseconds[nanoseconds.Count / 2],
            Rows = writes ? Written() : 0,
            Expected = emitted,
            GcPauseMilliseconds = pauses[pauses.Count / 2],
            GcCount = collections[collections.Count / 2],
        };
    }
}
