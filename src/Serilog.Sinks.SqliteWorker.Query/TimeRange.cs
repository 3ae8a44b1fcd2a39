namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// The time limits shared by log and metric filters: <c>Since</c> (inclusive) and <c>Until</c> (exclusive), or
/// <c>Within</c>, a window that ends now.
/// </summary>
static class TimeRange
{
    public static void Validate(DateTimeOffset? since, DateTimeOffset? until, TimeSpan? within, string parameterName)
    {
        if (since > until)
            throw new ArgumentException(
                $"Since ({since:O}) is later than Until ({until:O}); Since must be at or before Until.", parameterName);

        if (within is { } window)
        {
            if (window <= TimeSpan.Zero)
                throw new ArgumentException(
                    $"Within is {window}; it must be positive, such as TimeSpan.FromMinutes(15) for the last 15 minutes.",
                    parameterName);
            if (since != null || until != null)
                throw new ArgumentException(
                    "Within was given together with Since or Until. Within means \"from that long ago until now\"; " +
                    "give either Within, or Since and/or Until.", parameterName);
        }
    }

    /// <summary>Adds the time conditions, bound in the stored text form so that the timestamp indexes answer them.</summary>
    public static void AddTo(SqlWhere where, DateTimeOffset? since, DateTimeOffset? until, TimeSpan? within, DateTimeOffset now)
    {
        if (within is { } window)
            since = window >= now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : now - window;

        if (since is { } s)
            where.And($"timestamp >= {where.Bind(TimestampText.Format(s))}");
        if (until is { } u)
            where.And($"timestamp < {where.Bind(TimestampText.Format(u))}");
    }
}
