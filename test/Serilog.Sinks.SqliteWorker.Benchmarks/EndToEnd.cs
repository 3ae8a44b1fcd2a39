using System.Diagnostics;
using Serilog.Configuration;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>
/// Producers log as fast as they can into a sink; the clock stops when the logger is disposed, that is when every
/// accepted event is in the file.
/// </summary>
static class EndToEnd
{
    /// <param name="queueLimit">The sink's queue limit, or null for its default.</param>
    public static Measurement SqliteWorker(string configuration, string path, int producers, int perProducer, bool blockWhenFull,
        int? queueLimit, int? batchSizeLimit = null) =>
        Run(configuration, path, producers, perProducer, wt => wt.SqliteWorker(
            new SqliteWorkerSinkOptions { DatabasePath = path, BlockWhenFull = blockWhenFull },
            new BatchingOptions
            {
                BatchSizeLimit = batchSizeLimit ?? SqliteWorkerLoggerConfigurationExtensions.DefaultBatchSizeLimit,
                BufferingTimeLimit = SqliteWorkerLoggerConfigurationExtensions.DefaultBufferingTimeLimit,
                QueueLimit = queueLimit ?? SqliteWorkerLoggerConfigurationExtensions.DefaultQueueLimit,
            }));

    public static Measurement Naive(string path, int producers, int perProducer)
    {
        var naive = new NaiveSink(path);
        // Serilog's own queue, left unbounded so that the reference loses nothing: its memory then grows with the burst.
        return Run("naive", path, producers, perProducer,
            wt => wt.Sink(naive, new BatchingOptions { BatchSizeLimit = 1000, BufferingTimeLimit = TimeSpan.FromSeconds(2), QueueLimit = null }));
    }

    /// <summary>The sink's writer behind Serilog's batching, the alternative design (<see cref="SerilogBatchingFront"/>).</summary>
    public static Measurement SerilogBatching(string path, int producers, int perProducer, int? queueLimit)
    {
        var sink = new SerilogBatchingFront(path, queueLimit ?? SqliteWorkerLoggerConfigurationExtensions.DefaultQueueLimit,
            SqliteWorkerLoggerConfigurationExtensions.DefaultBufferingTimeLimit);
        return Run("batching-block", path, producers, perProducer, wt => wt.Sink(sink));
    }

    static Measurement Run(string configuration, string path, int producers, int perProducer,
        Func<LoggerSinkConfiguration, LoggerConfiguration> writeTo)
    {
        var before = BenchmarkDatabase.CountLogs(path);
        var logger = writeTo(new LoggerConfiguration().Enrich.WithThreadId().WriteTo).CreateLogger();

        var pausedBefore = GC.GetTotalPauseDuration();
        var collectionsBefore = GC.CollectionCount(0);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Measurement.ProcessorSeconds();
        long started = 0;
        Producers.Run(logger, producers, perProducer, () => started = Stopwatch.GetTimestamp());
        var closing = Stopwatch.GetTimestamp();
        logger.Dispose();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var closingSeconds = Stopwatch.GetElapsedTime(closing).TotalSeconds;
        var cpuSeconds = Measurement.ProcessorSeconds() - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        var expected = (long)producers * perProducer;
        var written = BenchmarkDatabase.CountLogs(path) - before;
        return new Measurement
        {
            Configuration = configuration,
            Seconds = seconds,
            ClosingSeconds = closingSeconds,
            CpuSeconds = cpuSeconds,
            Rows = written,
            Expected = expected,
            Dropped = expected - written,
            RowsBefore = before,
            GcPauseMilliseconds = (GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds,
            GcCount = GC.CollectionCount(0) - collectionsBefore,
            AllocatedBytesPerEvent = (double)allocated / expected,
        };
    }
}
