using Serilog.Core;

namespace Serilog.Sinks.SqliteWorker.Query.Tests.Support;

/// <summary>Databases written the way applications write them: a real logger with <c>WriteTo.SqliteWorker</c>.</summary>
static class SinkDatabase
{
    public static Logger CreateLogger(string path, string logsTableName = "logs", string metricsTableName = "metrics",
        TimeSpan? bufferingTimeLimit = null) =>
        new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .Enrich.WithThreadId()
            .WriteTo.SqliteWorker(path, logsTableName: logsTableName, metricsTableName: metricsTableName,
                bufferingTimeLimit: bufferingTimeLimit ?? TimeSpan.FromMilliseconds(50))
            .CreateLogger();

    /// <summary>Logs through a fresh logger and disposes it, which writes everything before returning.</summary>
    public static void Write(string path, Action<ILogger> log, string logsTableName = "logs", string metricsTableName = "metrics")
    {
        using var logger = CreateLogger(path, logsTableName, metricsTableName);
        log(logger);
    }
}
