namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>Log rows whose exceptions begin with the same line.</summary>
/// <param name="Type">The exception's type, such as <c>System.InvalidOperationException</c>: the first line up to its first colon.</param>
/// <param name="FirstLine">The first line of the exception's <c>ToString()</c>: its type and message.</param>
/// <param name="Count">The number of rows.</param>
/// <param name="LastSeen">The timestamp of the latest of them.</param>
public sealed record ExceptionGroup(string Type, string FirstLine, long Count, DateTimeOffset LastSeen);
