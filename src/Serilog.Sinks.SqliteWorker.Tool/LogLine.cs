using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// One event as a line, in the shape of Serilog's console output: <c>time [LVL] SourceContext: message</c>, then the
/// exception's lines. Written as plain text so that <c>grep</c> and pipes see whole lines; the level is coloured only
/// when the console uses colour.
/// </summary>
sealed class LogLine(TimeFormat time, bool useColour)
{
    public void Write(TextWriter output, LogRecord record)
    {
        output.Write(time.Format(record.Timestamp));
        output.Write(" [");
        if (useColour)
            output.Write(Colour(record.Level));
        output.Write(LevelName.Short(record.Level));
        if (useColour)
            output.Write("\u001b[0m");
        output.Write("] ");
        if (record.SourceContext != null)
        {
            output.Write(record.SourceContext);
            output.Write(": ");
        }

        output.WriteLine(record.Message);
        if (record.Exception != null)
            output.WriteLine(record.Exception.TrimEnd());
    }

    static string Colour(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => "\u001b[90m",
        LogEventLevel.Information => "\u001b[36m",
        LogEventLevel.Warning => "\u001b[33m",
        _ => "\u001b[1;31m",
    };
}
