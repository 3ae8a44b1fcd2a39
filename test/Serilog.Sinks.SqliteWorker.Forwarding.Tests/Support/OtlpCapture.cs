using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Serilog.Sinks.SqliteWorker.Forwarding.Otlp;

namespace Serilog.Sinks.SqliteWorker.Forwarding.Tests.Support;

/// <summary>
/// A small OTLP/HTTP receiver of the test's own on a loopback port, for what the dashboard cannot show: the requests as
/// they arrived on the wire (typed attribute values, metric points), answers the test chooses (503 with Retry-After,
/// partial success), and relaying to a real receiver once it has answered its own way enough times.
/// </summary>
sealed class OtlpCapture : IDisposable
{
    readonly HttpListener _listener = new();
    readonly Func<int, string, byte[], Task<(int Status, byte[] Body, string? RetryAfter)>> _answer;
    readonly Task _loop;
    readonly HttpClient _relay = new();
    int _requests;

    public OtlpCapture(Func<int, string, byte[], Task<(int Status, byte[] Body, string? RetryAfter)>>? answer = null)
    {
        _answer = answer ?? ((_, _, _) => Task.FromResult((200, Array.Empty<byte>(), (string?)null)));
        var port = AspireDashboard.FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    public ConcurrentQueue<ExportLogsServiceRequest> Logs { get; } = new();

    public ConcurrentQueue<ExportMetricsServiceRequest> Metrics { get; } = new();

    /// <summary>The API key header of each request, or null where it had none.</summary>
    public ConcurrentQueue<string?> ApiKeys { get; } = new();

    /// <summary>Requests received, answered however the test chose.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>An answer that relays the request to <paramref name="target"/> and passes its answer back.</summary>
    public Func<string, byte[], Task<(int Status, byte[] Body, string? RetryAfter)>> RelayTo(Uri target) => async (path, body) =>
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/x-protobuf");
        using var response = await _relay.PostAsync(new Uri(target, path.TrimStart('/')), content);
        return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(), null);
    };

    async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var bytes = body.ToArray();
            var path = context.Request.Url!.AbsolutePath;
            ApiKeys.Enqueue(context.Request.Headers[AspireDashboard.ApiKeyHeader]);
            var number = Interlocked.Increment(ref _requests);
            var (status, answer, retryAfter) = await _answer(number, path, bytes);
            if (status == 200)
            {
                if (path == "/v1/logs")
                    Logs.Enqueue(ExportLogsServiceRequest.Parser.ParseFrom(bytes));
                else if (path == "/v1/metrics")
                    Metrics.Enqueue(ExportMetricsServiceRequest.Parser.ParseFrom(bytes));
            }

            context.Response.StatusCode = status;
            context.Response.ContentType = "application/x-protobuf";
            if (retryAfter != null)
                context.Response.Headers["Retry-After"] = retryAfter;
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
    }

    public static byte[] PartialSuccess(long rejected, string message) =>
        new ExportLogsServiceResponse { PartialSuccess = new ExportLogsPartialSuccess { RejectedLogRecords = rejected, ErrorMessage = message } }.ToByteArray();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _relay.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener.
        }
    }
}
