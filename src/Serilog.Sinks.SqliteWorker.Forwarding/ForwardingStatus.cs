namespace Serilog.Sinks.SqliteWorker.Forwarding;

/// <summary>Where one destination stands in one table of the database.</summary>
public sealed record ForwardingStatus
{
    /// <summary>The destination's cursor name (<see cref="SqliteForwarderOptions.Destination"/>).</summary>
    public required string Destination { get; init; }

    /// <summary>The table: the logs or the metrics table.</summary>
    public required string Table { get; init; }

    /// <summary>The id of the last row the destination accepted.</summary>
    public required long LastForwardedId { get; init; }

    /// <summary>Rows the destination accepted, over the cursor's whole life.</summary>
    public required long Forwarded { get; init; }

    /// <summary>Rows the destination answered for but rejected (OTLP partial success, or a request it could not read).</summary>
    public required long Rejected { get; init; }

    /// <summary>Rows deleted from the file, by retention or the size limit, before they were sent.</summary>
    public required long NeverForwarded { get; init; }

    /// <summary>Rows in the file after the cursor, not yet sent.</summary>
    public required long Pending { get; init; }

    /// <summary>How old the oldest pending row is, by its timestamp; null when nothing is pending.</summary>
    public TimeSpan? Lag { get; init; }

    /// <summary>When the cursor last moved, or null if it never has.</summary>
    public DateTimeOffset? LastForwardedAt { get; init; }
}

/// <summary>One batch the destination accepted, as <see cref="SqliteForwarder.BatchForwarded"/> reports it.</summary>
/// <param name="Table">The table the rows came from.</param>
/// <param name="Rows">Rows sent in the request.</param>
/// <param name="Rejected">Of those, the rows the destination rejected.</param>
/// <param name="NeverForwarded">Rows found deleted before they could be sent, just before this batch.</param>
/// <param name="LastId">The id of the batch's last row, where the cursor now stands.</param>
public sealed record ForwardedBatch(string Table, int Rows, long Rejected, long NeverForwarded, long LastId);
