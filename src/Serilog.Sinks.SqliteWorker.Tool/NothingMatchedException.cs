namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>What the user named matched nothing; the tool exits with <see cref="ExitCodes.NoMatch"/> and this message.</summary>
sealed class NothingMatchedException(string message) : Exception(message);
