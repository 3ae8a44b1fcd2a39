using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Serilog.Sinks.SqliteWorker.Forwarding.Otlp;

namespace Serilog.Sinks.SqliteWorker.Forwarding;

/// <summary>
/// OTLP/HTTP with protobuf bodies: a POST of each request to <c>/v1/logs</c> or <c>/v1/metrics</c> under the endpoint.
/// 429, 502, 503 and 504 are retried, as OTLP asks, with the <c>Retry-After</c> the endpoint sends; so is any other
/// 5xx, since the rows stay in the file and a later attempt loses nothing. 400 means the endpoint cannot read the
/// request, whose rows are then counted as rejected; any other 4xx (401, 403, 404, ...) refuses the forwarder itself.
/// </summary>
sealed class HttpProtobufExporter : OtlpExporter
{
    static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");

    readonly HttpClient _client;
    readonly Uri _logs;
    readonly Uri _metrics;

    public HttpProtobufExporter(Uri endpoint, IEnumerable<KeyValuePair<string, string>> headers, TimeSpan timeout)
    {
        var baseUri = endpoint.AbsoluteUri.TrimEnd('/');
        _logs = new Uri(baseUri + "/v1/logs");
        _metrics = new Uri(baseUri + "/v1/metrics");
        _client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = timeout };
        foreach (var (name, value) in headers)
            _client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
    }

    public override Task<ExportOutcome> ExportAsync(ExportLogsServiceRequest request, CancellationToken cancellationToken) =>
        PostAsync(_logs, request, body =>
        {
            var response = ExportLogsServiceResponse.Parser.ParseFrom(body);
            return ExportOutcome.Accepted(response.PartialSuccess?.RejectedLogRecords ?? 0, response.PartialSuccess?.ErrorMessage);
        }, cancellationToken);

    public override Task<ExportOutcome> ExportAsync(ExportMetricsServiceRequest request, CancellationToken cancellationToken) =>
        PostAsync(_metrics, request, body =>
        {
            var response = ExportMetricsServiceResponse.Parser.ParseFrom(body);
            return ExportOutcome.Accepted(response.PartialSuccess?.RejectedDataPoints ?? 0, response.PartialSuccess?.ErrorMessage);
        }, cancellationToken);

    async Task<ExportOutcome> PostAsync(Uri uri, IMessage request, Func<byte[], ExportOutcome> accepted, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(request.ToByteArray());
        content.Headers.ContentType = Protobuf;
        HttpResponseMessage response;
        try
        {
            response = await _client.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            return ExportOutcome.Retry($"{uri} could not be reached: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ExportOutcome.Retry($"{uri} did not answer within {_client.Timeout.TotalSeconds:0.#} s");
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return accepted(body);
                }
                catch (InvalidProtocolBufferException)
                {
                    // A 2xx is acceptance; a body that is not OTLP's response (some proxies answer with JSON) adds nothing.
                    return ExportOutcome.Accepted(0, null);
                }
            }

            var message = $"{uri} answered {status} {response.ReasonPhrase}{Detail(body)}";
            if (status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
                return ExportOutcome.Retry(message, RetryAfter(response));
            if (response.StatusCode == HttpStatusCode.BadRequest)
                return new ExportOutcome(ExportStatus.Unreadable, 0, message, null);
            return new ExportOutcome(ExportStatus.Refused, 0, message, null);
        }
    }

    static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
            return null;
        if (retryAfter.Delta is { } delta)
            return delta;
        if (retryAfter.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    // OTLP/HTTP puts a google.rpc.Status in the body of an error; a short text body says more than the status alone.
    static string Detail(byte[] body)
    {
        if (body.Length == 0 || body.Length > 1000)
            return "";
        var text = System.Text.Encoding.UTF8.GetString(body).Trim();
        return text.All(c => !char.IsControl(c)) && text.Length > 0 ? $": {text}" : "";
    }

    public override void Dispose() => _client.Dispose();
}
