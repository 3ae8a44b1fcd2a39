using Serilog.Core;
using Serilog.Sinks.SqliteWorker;

namespace Serilog.Sinks.SqliteWorker.Tests.Support;

static class SinkFactory
{
    /// <summary>The batched writer alone, for tests that hand it batches directly.</summary>
    public static SqliteWorkerSink Create(string databasePath, Action<SqliteWorkerSinkOptions>? configure = null,
        ILoggingFailureListener? listener = null)
    {
        var options = new SqliteWorkerSinkOptions { DatabasePath = databasePath };
        configure?.Invoke(options);
        var counters = new SinkCounters();
        var reporter = new FailureReporter(counters, queueLimit: 1000);
        if (listener != null)
            reporter.Listener = listener;
        return new SqliteWorkerSink(options, DatabaseLocation.Resolve(databasePath), counters, reporter);
    }
}
