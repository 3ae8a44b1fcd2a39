using Serilog.Core;

namespace Serilog.Sinks.SqliteWorker.Viewer.Tests.Support;

/// <summary>Databases written the way applications write them: a real logger with <c>WriteTo.SqliteWorker</c>.</summary>
static class SinkDatabase
{
    /// <summary>A logger that commits within about 50 ms, so that a live view has something new to show soon.</summary>
    public static Logger CreateLogger(string path) =>
        new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.SqliteWorker(path, bufferingTimeLimit: TimeSpan.FromMilliseconds(50))
            .CreateLogger();

    /// <summary>Logs through a fresh logger and disposes it, which writes everything before returning.</summary>
    public static void Write(string path, Action<ILogger> log)
    {
        using var logger = CreateLogger(path);
        log(logger);
    }
}
