using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// One event as a line, in the shape of Serilog's console output: <c>time [LVL] SourceContext: message</c>, then the
/// exception's lines. Written as plain text so that <c>grep</c> and pipes see whole lines; the level is coloured only
/// when the console uses colour. Text from the file goes through <see cref="TerminalText"/>: only the event's first line
/// starts at the margin, the message's further lines and the exception's lines are indented.
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
            output.Write(TerminalText.OneLine(record.SourceContext));
            output.Write(": ");
        }

        output.WriteLine(TerminalText.Escape(record.Message));
        if (record.Exception != null)
        {
            output.Write(TerminalText.ContinuationIndent);
            output.WriteLine(TerminalText.Escape(record.Exception.TrimEnd()));
        }
    }

    static string Colour(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => "\u001b[90m",
        LogEventLevel.Information => "\u001b[36m",
        LogEventLevel.Warning => "\u001b[33m",
        _ => "\u001b[1;31m",
    };
}
