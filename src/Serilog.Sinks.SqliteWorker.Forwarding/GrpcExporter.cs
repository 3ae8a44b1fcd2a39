using Grpc.Core;
using Grpc.Net.Client;
using Serilog.Sinks.SqliteWorker.Forwarding.Otlp;

namespace Serilog.Sinks.SqliteWorker.Forwarding;

/// <summary>
/// OTLP/gRPC through Grpc.Net.Client. The status codes OTLP names retryable (UNAVAILABLE, RESOURCE_EXHAUSTED,
/// DEADLINE_EXCEEDED, ABORTED, CANCELLED, OUT_OF_RANGE, DATA_LOSS) are retried, and INTERNAL and UNKNOWN too, since
/// the rows stay in the file; INVALID_ARGUMENT means the endpoint cannot read the request; the others
/// (UNAUTHENTICATED, PERMISSION_DENIED, UNIMPLEMENTED, ...) refuse the forwarder itself.
/// </summary>
sealed class GrpcExporter : OtlpExporter
{
    readonly GrpcChannel _channel;
    readonly LogsService.LogsServiceClient _logs;
    readonly MetricsService.MetricsServiceClient _metrics;
    readonly Metadata _headers = [];
    readonly TimeSpan _timeout;
    readonly Uri _endpoint;

    public GrpcExporter(Uri endpoint, IEnumerable<KeyValuePair<string, string>> headers, TimeSpan timeout)
    {
        _endpoint = endpoint;
        _timeout = timeout;
        _channel = GrpcChannel.ForAddress(endpoint);
        _logs = new LogsService.LogsServiceClient(_channel);
        _metrics = new MetricsService.MetricsServiceClient(_channel);
        foreach (var (name, value) in headers)
            _headers.Add(name.ToLowerInvariant(), value);
    }

    public override async Task<ExportOutcome> ExportAsync(ExportLogsServiceRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _logs.ExportAsync(request, _headers, DateTime.UtcNow + _timeout, cancellationToken).ConfigureAwait(false);
            return ExportOutcome.Accepted(response.PartialSuccess?.RejectedLogRecords ?? 0, response.PartialSuccess?.ErrorMessage);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Outcome(ex);
        }
    }

    public override async Task<ExportOutcome> ExportAsync(ExportMetricsServiceRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _metrics.ExportAsync(request, _headers, DateTime.UtcNow + _timeout, cancellationToken).ConfigureAwait(false);
            return ExportOutcome.Accepted(response.PartialSuccess?.RejectedDataPoints ?? 0, response.PartialSuccess?.ErrorMessage);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Outcome(ex);
        }
    }

    ExportOutcome Outcome(RpcException ex)
    {
        var message = $"{_endpoint} answered {ex.StatusCode}: {ex.Status.Detail}";
        return ex.StatusCode switch
        {
            StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded or StatusCode.Aborted or
                StatusCode.Cancelled or StatusCode.OutOfRange or StatusCode.DataLoss or StatusCode.Internal or StatusCode.Unknown
                => ExportOutcome.Retry(message),
            StatusCode.InvalidArgument => new ExportOutcome(ExportStatus.Unreadable, 0, message, null),
            _ => new ExportOutcome(ExportStatus.Refused, 0, message, null),
        };
    }

    public override void Dispose() => _channel.Dispose();
}
