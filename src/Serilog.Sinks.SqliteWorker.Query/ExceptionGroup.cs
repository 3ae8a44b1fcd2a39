namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>Log rows whose exceptions begin with the same line.</summary>
public sealed record ExceptionGroup
{
    /// <summary>The exception's type, such as <c>System.InvalidOperationException</c>: the first line up to its first colon.</summary>
    public required string Type { get; init; }

    /// <summary>The first line of the exception's <c>ToString()</c>: its type and message.</summary>
    public required string FirstLine { get; init; }

    /// <summary>The number of rows.</summary>
    public required long Count { get; init; }

    /// <summary>The timestamp of the latest of them.</summary>
    public required DateTimeOffset LastSeen { get; init; }
}
