namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>The exit codes of <c>sqlite-logs</c>, documented in docs/cli.md.</summary>
static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command failed while running: the file could not be read or written, or something unexpected.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong: an unknown command or option, a missing argument, a bad duration, time, level
    /// or number, or filters that contradict each other.</summary>
    public const int Usage = 2;

    /// <summary>There is no database file at the path given.</summary>
    public const int DatabaseNotFound = 3;

    /// <summary>The file is not a SQLite database, or not one written by Serilog.Sinks.SqliteWorker.</summary>
    public const int NotASinkDatabase = 4;

    /// <summary>Nothing matched what was named: <c>metrics DB NAME</c> (or <c>--prefix</c>) names no metric with values;
    /// the message lists the metrics that have some.</summary>
    public const int NoMatch = 5;

    /// <summary>The command was interrupted (Ctrl+C) before it finished; <c>tail -f</c> ends this way normally and exits 0.</summary>
    public const int Interrupted = 130;
}
