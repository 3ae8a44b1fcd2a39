using System.Diagnostics;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>Threads that log the benchmark's event as fast as they can, all starting at the same moment.</summary>
static class Producers
{
    /// <summary>Logs <paramref name="perThread"/> events on each of <paramref name="threads"/> threads.</summary>
    /// <param name="started">Called on the calling thread the moment the producers are released.</param>
    /// <returns>How long each thread took to make its calls.</returns>
    public static TimeSpan[] Run(ILogger logger, int threads, int perThread, Action? started = null)
    {
        var elapsed = new TimeSpan[threads];
        using var release = new Barrier(threads + 1);
        var workers = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            var thread = t;
            workers[t] = new Thread(() =>
            {
                release.SignalAndWait();
                var began = Stopwatch.GetTimestamp();
                for (var i = 0; i < perThread; i++)
                    logger.Information(EventShape.Template, EventShape.Endpoint, EventShape.Elapsed, i);
                elapsed[thread] = Stopwatch.GetElapsedTime(began);
            }) { IsBackground = true, Name = $"producer {t}" };
            workers[t].Start();
        }

        release.SignalAndWait();
        started?.Invoke();
        foreach (var worker in workers)
            worker.Join();
        return elapsed;
    }
}
