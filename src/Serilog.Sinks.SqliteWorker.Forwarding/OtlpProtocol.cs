namespace Serilog.Sinks.SqliteWorker.Forwarding;

/// <summary>The OTLP transport, as <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> names them.</summary>
public enum OtlpProtocol
{
    /// <summary><c>http/protobuf</c>: protobuf bodies posted to <c>/v1/logs</c> and <c>/v1/metrics</c> under the endpoint.</summary>
    HttpProtobuf,

    /// <summary><c>grpc</c>: OTLP's gRPC services at the endpoint.</summary>
    Grpc,
}
