using System.Diagnostics;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>
/// Two costs on one thread, with no other thread running: a log call through the benchmark's pipeline into a sink that
/// does nothing, and the sink's rendering of one such event into its row. Their ratio bounds any design that renders
/// on the logging thread: its calls cost at least one plus that ratio times the no-op sink's.
/// </summary>
static class SingleThreadCost
{
    const int Calls = 400_000;
    const int Rounds = 5;

    public static Measurement Run(string kind) => kind switch
    {
        "call" => Median("call-alone", LogCall),
        "render" => Median("render-alone", Render),
        _ => throw new ArgumentException($"Unknown cost '{kind}'."),
    };

    static Measurement Median(string configuration, Func<double> nanosecondsPerCall)
    {
        nanosecondsPerCall();
        var results = Enumerable.Range(0, Rounds).Select(_ => nanosecondsPerCall()).Order().ToList();
        return new Measurement { Configuration = configuration, NanosecondsPerCall = results[Rounds / 2], Expected = Calls };
    }

    static double LogCall()
    {
        using var logger = new LoggerConfiguration().Enrich.WithThreadId().WriteTo.Sink(new NoOpSink()).CreateLogger();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Calls; i++)
            logger.Information(EventShape.Template, EventShape.Endpoint, EventShape.Elapsed, i);
        return Stopwatch.GetElapsedTime(started).TotalNanoseconds / Calls;
    }

    static double Render()
    {
        // A few recent events, rendered again and again: on the logging thread, the event just made is in the cache.
        var events = EventShape.Events(1024, DateTimeOffset.Now);
        var writer = new LogRowWriter(null, []);
        var row = new RenderedRow(10);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Calls; i++)
        {
            writer.Write(events[i % events.Length], row);
            row.Clear();
        }
        return Stopwatch.GetElapsedTime(started).TotalNanoseconds / Calls;
    }
}
