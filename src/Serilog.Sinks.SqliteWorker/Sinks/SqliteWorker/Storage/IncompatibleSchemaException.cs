namespace Serilog.Sinks.SqliteWorker;

/// <summary>A table of the configured name exists but was not made by this sink; it is left as it is.</summary>
sealed class IncompatibleSchemaException(string message) : Exception(message);
