using System.Diagnostics;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace Serilog.Sinks.SqliteWorker.Query.Tests.Support;

/// <summary>Databases written the way applications write them: a real logger with <c>WriteTo.SqliteWorker</c>.</summary>
static class SinkDatabase
{
    static readonly MessageTemplateParser Parser = new();

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

    /// <summary>An event at a chosen time, which the logger cannot otherwise give.</summary>
    public static LogEvent Event(DateTimeOffset timestamp, LogEventLevel level, string template, Exception? exception = null,
        ActivityTraceId? traceId = null, params (string Name, object? Value)[] properties) =>
        new(timestamp, level, exception, Parser.Parse(template),
            properties.Select(p => new LogEventProperty(p.Name, new ScalarValue(p.Value))),
            traceId ?? default, traceId == null ? default : ActivitySpanId.CreateRandom());
}
