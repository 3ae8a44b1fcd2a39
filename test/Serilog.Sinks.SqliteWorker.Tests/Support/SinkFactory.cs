using Serilog.Sinks.SqliteWorker;

namespace Serilog.Sinks.SqliteWorker.Tests.Support;

static class SinkFactory
{
    /// <summary>The batched writer alone, for tests that hand it batches directly.</summary>
    public static SqliteWorkerSink Create(string databasePath, Action<SqliteWorkerSinkOptions>? configure = null)
    {
        var options = new SqliteWorkerSinkOptions { DatabasePath = databasePath };
        configure?.Invoke(options);
        var counters = new SinkCounters();
        return new SqliteWorkerSink(options, DatabaseLocation.Resolve(databasePath), counters, new QueueFullReporter(counters, queueLimit: 1000));
    }
}
