using System.Diagnostics;

namespace Serilog.Sinks.SqliteWorker;

sealed class TimedOperation(ILogger logger, string name) : IDisposable
{
    readonly long _started = Stopwatch.GetTimestamp();
    int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;

        logger.Metric(name, Stopwatch.GetElapsedTime(_started).TotalMilliseconds, "ms");
    }
}
