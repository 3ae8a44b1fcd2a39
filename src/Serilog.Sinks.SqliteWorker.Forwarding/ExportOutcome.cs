namespace Serilog.Sinks.SqliteWorker.Forwarding;

/// <summary>What the endpoint made of one request.</summary>
enum ExportStatus
{
    /// <summary>Accepted, perhaps partly: <see cref="ExportOutcome.Rejected"/> says how many items it rejected.</summary>
    Accepted,

    /// <summary>Not taken now (unreachable, overloaded, throttled); the same rows are sent again after a wait.</summary>
    Retry,

    /// <summary>Answered that it cannot read this request (HTTP 400, gRPC INVALID_ARGUMENT): the rows are rejected, counted, and passed.</summary>
    Unreadable,

    /// <summary>Refused the forwarder (a wrong key, a path it does not serve): nothing moves until the configuration is corrected.</summary>
    Refused,
}

/// <param name="Status">What happened.</param>
/// <param name="Rejected">With <see cref="ExportStatus.Accepted"/>, the items the endpoint rejected (OTLP partial success).</param>
/// <param name="Message">The endpoint's or the network's message, for reports.</param>
/// <param name="RetryAfter">With <see cref="ExportStatus.Retry"/>, the wait the endpoint asked for (<c>Retry-After</c>), if any.</param>
sealed record ExportOutcome(ExportStatus Status, long Rejected, string? Message, TimeSpan? RetryAfter)
{
    public static ExportOutcome Accepted(long rejected, string? message) => new(ExportStatus.Accepted, rejected, message, null);

    public static ExportOutcome Retry(string message, TimeSpan? retryAfter = null) => new(ExportStatus.Retry, 0, message, retryAfter);
}
