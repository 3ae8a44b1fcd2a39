namespace Serilog.Sinks.SqliteWorker.Forwarding;

/// <summary>
/// What <see cref="SqliteForwarder"/> reads and where it sends it. Every property can be bound from a configuration
/// section (see <c>docs/forwarding.md</c>); <see cref="OtlpEnvironment"/> fills the ones the standard
/// <c>OTEL_*</c> variables name.
/// </summary>
public sealed class SqliteForwarderOptions
{
    /// <summary>The number of rows sent in one OTLP request when no size is given.</summary>
    public const int DefaultBatchSize = 1000;

    /// <summary>The database written by <c>WriteTo.SqliteWorker()</c>: a file path. It is never created.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>
    /// The OTLP endpoint's base URL, as in <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: for <see cref="OtlpProtocol.HttpProtobuf"/>,
    /// <c>/v1/logs</c> and <c>/v1/metrics</c> are appended, so <c>http://collector:4318</c> is the usual value; for
    /// <see cref="OtlpProtocol.Grpc"/> it is the server's address, usually <c>http://collector:4317</c>.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>The transport. The default is <see cref="OtlpProtocol.HttpProtobuf"/>, as for OTLP exporters.</summary>
    public OtlpProtocol Protocol { get; set; } = OtlpProtocol.HttpProtobuf;

    /// <summary>Headers sent with every request, such as an API key (<c>x-otlp-api-key</c>).</summary>
    public IDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The <c>service.name</c> resource attribute. The default is <c>unknown_service</c>, as in OpenTelemetry.</summary>
    public string? ServiceName { get; set; }

    /// <summary>Further resource attributes, such as <c>host.name</c> or <c>deployment.environment.name</c>.</summary>
    public IDictionary<string, string> ResourceAttributes { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The name of this destination's cursor in the database. The default is the endpoint with its protocol, so that two
    /// forwarders of one file to different endpoints each keep their own place.
    /// </summary>
    public string? Destination { get; set; }

    /// <summary>The logs table, as configured on the sink. The default is <c>logs</c>.</summary>
    public string LogsTableName { get; set; } = "logs";

    /// <summary>The metrics table, as configured on the sink. The default is <c>metrics</c>.</summary>
    public string MetricsTableName { get; set; } = "metrics";

    /// <summary>Rows per OTLP request, and so the most that a crash can send twice. The default is <see cref="DefaultBatchSize"/>.</summary>
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>How long a follower waits when it finds no new rows. The default is one second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait between attempts while the endpoint cannot be reached or asks for time; the wait doubles from
    /// one second up to this. A <c>Retry-After</c> the endpoint sends is honoured even when longer. The default is one minute.
    /// </summary>
    public TimeSpan MaximumRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one request may take before it is abandoned and retried. The default is 10 seconds, as for OTLP exporters.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
