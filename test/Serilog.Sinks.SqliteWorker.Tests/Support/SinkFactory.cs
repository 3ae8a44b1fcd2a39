using Serilog.Core;

namespace Serilog.Sinks.SqliteWorker.Tests.Support;

static class SinkFactory
{
    /// <summary>The sink's writer and housekeeping without its thread, for tests that hand it batches themselves.</summary>
    public static BatchDriver Create(string databasePath, Action<SqliteWorkerSinkOptions>? configure = null,
        ILoggingFailureListener? listener = null)
    {
        var options = new SqliteWorkerSinkOptions { DatabasePath = databasePath };
        configure?.Invoke(options);
        var counters = new SinkCounters();
        var reporter = new FailureReporter(counters, queueLimit: 1000, sender: nameof(SinkFactory));
        if (listener != null)
            reporter.Listener = listener;
        return new BatchDriver(options, reporter, counters);
    }
}
