using System.Diagnostics;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>
/// The sink's writer alone: events made up front are handed to it in batches of 1,000 on the calling thread,
/// with no producers running and no queue between them. Between the provider ceiling and the end-to-end figure, it shows what
/// rendering costs and what the producers and the queue cost. With <c>maxDatabaseSize</c> set (far above what the run
/// writes), it shows what a size limit costs while it deletes nothing: a new file with auto-vacuum, and the size read
/// after every batch.
/// </summary>
static class WriterAlone
{
    public static Measurement Run(string path, int count, long? maxDatabaseSize = null)
    {
        var events = EventShape.Events(count, DateTimeOffset.Now);

        var options = new SqliteWorkerSinkOptions { DatabasePath = path, MaxDatabaseSize = maxDatabaseSize };
        var counters = new SinkCounters();
        using var sink = new BatchDriver(options,
            new FailureReporter(counters, SqliteWorkerLoggerConfigurationExtensions.DefaultQueueLimit, sender: nameof(WriterAlone)), counters);
        var batch = new List<LogEvent>(SqliteWorkerLoggerConfigurationExtensions.DefaultBatchSizeLimit);

        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Measurement.ProcessorSeconds();
        var started = Stopwatch.GetTimestamp();
        for (var first = 0; first < count; first += batch.Capacity)
        {
            batch.Clear();
            batch.AddRange(events.AsSpan(first, Math.Min(batch.Capacity, count - first)));
            sink.EmitBatchAsync(batch).GetAwaiter().GetResult();
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuSeconds = Measurement.ProcessorSeconds() - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new Measurement
        {
            Configuration = maxDatabaseSize == null ? "writer-alone" : "writer-alone-size-limit",
            Seconds = seconds,
            CpuSeconds = cpuSeconds,
            Rows = BenchmarkDatabase.CountLogs(path),
            Expected = count,
            AllocatedBytesPerEvent = (double)allocated / count,
        };
    }
}
