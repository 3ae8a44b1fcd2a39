namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// Which metric rows a query covers. Every condition that is set must hold; an empty filter covers every row. A name or
/// name prefix, with or without a time range, is answered from the <c>(metric_name, timestamp)</c> index.
/// </summary>
/// <example><code>new MetricFilter { Name = "response_time", Within = TimeSpan.FromHours(1) }</code></example>
public sealed record MetricFilter
{
    /// <summary>Only rows of exactly this metric name. Cannot be combined with <see cref="NamePrefix"/>.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Only rows whose metric name starts with this text (case-sensitive), such as <c>operation_duration_</c>. Cannot be
    /// combined with <see cref="Name"/>.
    /// </summary>
    public string? NamePrefix { get; init; }

    /// <summary>Only rows at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only rows before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>
    /// Only rows from this long ago until now; "now" is taken each time the query runs. Cannot be combined with
    /// <see cref="Since"/> or <see cref="Until"/>.
    /// </summary>
    public TimeSpan? Within { get; init; }

    internal void Validate(string parameterName)
    {
        if (Name is { Length: 0 })
            throw new ArgumentException("Name is empty; give a metric name such as \"response_time\", or leave it null.", parameterName);
        if (NamePrefix is { Length: 0 })
            throw new ArgumentException("NamePrefix is empty; give the start of the metric names, or leave it null.", parameterName);
        if (Name != null && NamePrefix != null)
            throw new ArgumentException("Name and NamePrefix are both set; give one of them.", parameterName);
        TimeRange.Validate(Since, Until, Within, parameterName);
    }

    internal bool NamesMetric => Name != null || NamePrefix != null;
}
