using Serilog.Sinks.SqliteWorker.Forwarding.Otlp;

namespace Serilog.Sinks.SqliteWorker.Forwarding;

/// <summary>Sends one OTLP request and says what the endpoint made of it; never throws for the endpoint's answers or the network's failures.</summary>
abstract class OtlpExporter : IDisposable
{
    public abstract Task<ExportOutcome> ExportAsync(ExportLogsServiceRequest request, CancellationToken cancellationToken);

    public abstract Task<ExportOutcome> ExportAsync(ExportMetricsServiceRequest request, CancellationToken cancellationToken);

    public abstract void Dispose();

    public static OtlpExporter Create(SqliteForwarderOptions options, Uri endpoint) => options.Protocol switch
    {
        OtlpProtocol.Grpc => new GrpcExporter(endpoint, options.Headers, options.Timeout),
        _ => new HttpProtobufExporter(endpoint, options.Headers, options.Timeout),
    };
}
