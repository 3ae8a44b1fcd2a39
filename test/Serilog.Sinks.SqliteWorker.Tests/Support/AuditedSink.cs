using Serilog.Configuration;
using Serilog.Core;

namespace Serilog.Sinks.SqliteWorker.Tests.Support;

/// <summary>
/// The sink as <c>WriteTo.SqliteWorker</c> builds it (the queue, its writer thread and their counters) behind a logger
/// that audits: Serilog lets what an audit sink throws reach the caller, where <c>WriteTo</c> would catch it and tell
/// SelfLog. So a test that logs through <see cref="Logger"/> sees any exception the sink's <c>Emit</c> throws, and can
/// read what is still queued.
/// </summary>
sealed class AuditedSink : IDisposable
{
    AuditedSink(SqliteWorkerSink writer, SinkCounters counters, Logger logger)
    {
        Writer = writer;
        Counters = counters;
        Logger = logger;
    }

    public SqliteWorkerSink Writer { get; }

    public SinkCounters Counters { get; }

    public Logger Logger { get; }

    public static AuditedSink Create(SqliteWorkerSinkOptions options, ILoggingFailureListener listener, BatchingOptions? batching = null)
    {
        batching ??= new BatchingOptions { BufferingTimeLimit = SqliteWorkerLoggerConfigurationExtensions.DefaultBufferingTimeLimit };
        var queueLimit = batching.QueueLimit ?? SqliteWorkerLoggerConfigurationExtensions.DefaultQueueLimit;
        var counters = new SinkCounters();
        var writer = new SqliteWorkerSink(options, DatabaseLocation.Resolve(options.DatabasePath), batching, queueLimit, counters);
        var logger = new LoggerConfiguration().AuditTo.Sink(writer).CreateLogger();
        // After the logger is built, so that nothing Serilog sets while building it replaces the test's listener.
        writer.SetFailureListener(listener);
        return new AuditedSink(writer, counters, logger);
    }

    public static AuditedSink Create(string databasePath, ILoggingFailureListener listener, BatchingOptions? batching = null) =>
        Create(new SqliteWorkerSinkOptions { DatabasePath = databasePath }, listener, batching);

    /// <summary>Closes the sink as disposing the logger does: what is queued is written or reported.</summary>
    public void Dispose()
    {
        Logger.Dispose();
        Writer.Dispose();
    }
}
