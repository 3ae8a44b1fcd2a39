using Serilog.Configuration;
using Serilog.Sinks.SqliteWorker.Forwarding;

namespace Serilog;

/// <summary>
/// Runs a <see cref="SqliteForwarder"/> beside the SQLite sink, for as long as the logger lives: it starts when the
/// logger is created and stops, finishing the request in flight, when the logger is disposed. It takes no events
/// itself; it forwards the rows the sink commits. Rows written after it stops are sent when it next starts.
/// </summary>
public static class SqliteWorkerForwardingLoggerConfigurationExtensions
{
    /// <summary>
    /// Forward the rows of the SQLite database written by <c>WriteTo.SqliteWorker()</c> to an OTLP endpoint, while the
    /// logger lives. Options left out are taken from the standard <c>OTEL_*</c> variables.
    /// </summary>
    /// <param name="loggerSinkConfiguration">Logger sink configuration.</param>
    /// <param name="databasePath">The database, as given to <c>WriteTo.SqliteWorker()</c>.</param>
    /// <param name="endpoint">The OTLP endpoint's base URL, such as <c>http://collector:4318</c>. The default, null,
    /// is <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</param>
    /// <param name="protocol"><c>http/protobuf</c> or <c>grpc</c>. The default, null, is <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
    /// else <c>http/protobuf</c>.</param>
    /// <param name="headers">Headers for every request, as <c>name1=value1,name2=value2</c>, added to
    /// <c>OTEL_EXPORTER_OTLP_HEADERS</c>.</param>
    /// <param name="serviceName">The <c>service.name</c> resource attribute. The default, null, is <c>OTEL_SERVICE_NAME</c>.</param>
    /// <param name="resourceAttributes">Further resource attributes, as <c>key1=value1,key2=value2</c>, added to
    /// <c>OTEL_RESOURCE_ATTRIBUTES</c>.</param>
    /// <param name="logsTableName">The logs table, as configured on the sink.</param>
    /// <param name="metricsTableName">The metrics table, as configured on the sink.</param>
    /// <param name="batchSize">Rows per OTLP request. The default is <see cref="SqliteForwarderOptions.DefaultBatchSize"/>.</param>
    /// <param name="pollInterval">How long to wait when no new rows are found. The default, null, is one second.</param>
    /// <returns>Configuration object allowing method chaining.</returns>
    /// <exception cref="ArgumentException">An argument is missing or not valid; the message says which.</exception>
    public static LoggerConfiguration SqliteWorkerForwarding(
        this LoggerSinkConfiguration loggerSinkConfiguration,
        string databasePath,
        string? endpoint = null,
        string? protocol = null,
        string? headers = null,
        string? serviceName = null,
        string? resourceAttributes = null,
        string logsTableName = "logs",
        string metricsTableName = "metrics",
        int batchSize = SqliteForwarderOptions.DefaultBatchSize,
        TimeSpan? pollInterval = null)
    {
        var options = new SqliteForwarderOptions
        {
            DatabasePath = databasePath,
            Endpoint = endpoint,
            ServiceName = serviceName,
            LogsTableName = logsTableName,
            MetricsTableName = metricsTableName,
            BatchSize = batchSize,
            PollInterval = pollInterval ?? TimeSpan.FromSeconds(1),
        };
        if (protocol != null)
            options.Protocol = OtlpEnvironment.ParseProtocol(protocol, nameof(protocol));
        foreach (var (name, value) in OtlpEnvironment.Pairs(headers, nameof(headers)))
            options.Headers[name] = value;
        foreach (var (name, value) in OtlpEnvironment.Pairs(resourceAttributes, nameof(resourceAttributes)))
            options.ResourceAttributes[name] = value;
        OtlpEnvironment.Apply(options, protocolGiven: protocol != null);
        return loggerSinkConfiguration.SqliteWorkerForwarding(options);
    }

    /// <summary>
    /// Forward the rows of the SQLite database written by <c>WriteTo.SqliteWorker()</c> to an OTLP endpoint, while the
    /// logger lives, configured from code.
    /// </summary>
    /// <param name="loggerSinkConfiguration">Logger sink configuration.</param>
    /// <param name="options">What to read and where to send it; <see cref="OtlpEnvironment.Apply"/> fills what is left out from the <c>OTEL_*</c> variables.</param>
    /// <returns>Configuration object allowing method chaining.</returns>
    /// <exception cref="ArgumentException">An option is missing or not valid; the message says which.</exception>
    public static LoggerConfiguration SqliteWorkerForwarding(this LoggerSinkConfiguration loggerSinkConfiguration, SqliteForwarderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return loggerSinkConfiguration.SqliteWorkerForwarding(new SqliteForwarder(options));
    }

    /// <summary>
    /// Run <paramref name="forwarder"/> while the logger lives, and dispose it with the logger. Keep the reference to
    /// read its <see cref="SqliteForwarder.GetStatus"/>: forwarded, pending and lag.
    /// </summary>
    /// <param name="loggerSinkConfiguration">Logger sink configuration.</param>
    /// <param name="forwarder">The forwarder; the logger owns it from here.</param>
    /// <returns>Configuration object allowing method chaining.</returns>
    public static LoggerConfiguration SqliteWorkerForwarding(this LoggerSinkConfiguration loggerSinkConfiguration, SqliteForwarder forwarder)
    {
        ArgumentNullException.ThrowIfNull(loggerSinkConfiguration);
        ArgumentNullException.ThrowIfNull(forwarder);
        return loggerSinkConfiguration.Sink(new ForwardingRunner(forwarder));
    }
}
