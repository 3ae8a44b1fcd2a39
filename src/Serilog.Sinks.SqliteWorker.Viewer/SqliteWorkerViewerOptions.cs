namespace Serilog.Sinks.SqliteWorker.Viewer;

/// <summary>How <see cref="SqliteWorkerViewerEndpointRouteBuilderExtensions.MapSqliteWorkerViewer(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder, string, string, Action{SqliteWorkerViewerOptions}?)"/> reads the database and bounds its work.</summary>
public sealed class SqliteWorkerViewerOptions
{
    /// <summary>The default number of events a page shows.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>The default number of live views open at once.</summary>
    public const int DefaultMaxLiveViews = 8;

    /// <summary>The default limit on one query's time.</summary>
    public static readonly TimeSpan DefaultQueryTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Lets anonymous requests see the view. The default is false: the endpoints require an authorized user, with the
    /// app's default policy, so that logs are never served to whoever asks. Set it only for a listener nobody else can
    /// reach, as <c>sqlite-logs serve</c> does on loopback.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>The logs table, as configured on the sink. The default is <c>logs</c>.</summary>
    public string LogsTableName { get; set; } = "logs";

    /// <summary>The metrics table, as configured on the sink. The default is <c>metrics</c>.</summary>
    public string MetricsTableName { get; set; } = "metrics";

    /// <summary>How many events a page shows, and the most one request returns. The default is <see cref="DefaultPageSize"/>.</summary>
    public int PageSize { get; set; } = DefaultPageSize;

    /// <summary>
    /// The longest one query may run before it is interrupted and the request answered with an error, so that a huge
    /// file or a costly filter cannot pin the process. The default is <see cref="DefaultQueryTimeout"/>.
    /// </summary>
    public TimeSpan QueryTimeout { get; set; } = DefaultQueryTimeout;

    /// <summary>How often a live view looks for new events. The default is one second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many live views may be open at once; each holds a read connection and looks for new rows every
    /// <see cref="PollInterval"/>. Past it a new view is refused with 503. The default is <see cref="DefaultMaxLiveViews"/>.
    /// </summary>
    public int MaxLiveViews { get; set; } = DefaultMaxLiveViews;

    /// <summary>The most metrics charted, the most frequent first. The default is 12.</summary>
    public int MaxCharts { get; set; } = 12;

    /// <summary>Shows times in the server's local time zone instead of UTC. The default is false (UTC).</summary>
    public bool UseLocalTime { get; set; }

    internal void Validate()
    {
        if (PageSize is < 1 or > 1000)
            throw new ArgumentException($"PageSize is {PageSize}; give from 1 to 1000 events a page.", nameof(PageSize));
        if (QueryTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"QueryTimeout is {QueryTimeout}; it must be positive, such as TimeSpan.FromSeconds(10).", nameof(QueryTimeout));
        if (PollInterval <= TimeSpan.Zero)
            throw new ArgumentException($"PollInterval is {PollInterval}; it must be positive, such as TimeSpan.FromSeconds(1).", nameof(PollInterval));
        if (MaxCharts < 0)
            throw new ArgumentException($"MaxCharts is {MaxCharts}; give 0 for no metric charts, or more.", nameof(MaxCharts));
        if (MaxLiveViews < 1)
            throw new ArgumentException($"MaxLiveViews is {MaxLiveViews}; allow at least one live view.", nameof(MaxLiveViews));
    }
}
