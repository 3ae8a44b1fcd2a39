using Serilog;
using Serilog.Events;

namespace SqliteWorkerSample;

/// <summary>
/// What each thread does: a mix of modules and levels, with request metadata, a response-time metric for every
/// request and a timed operation now and then.
/// </summary>
static class Workload
{
    static readonly string[] Modules = ["api", "db", "auth", "cache", "worker"];
    static readonly string[] Endpoints = ["/api/users", "/api/orders", "/api/products", "/health"];
    static readonly LogEventLevel[] Levels = [LogEventLevel.Debug, LogEventLevel.Information, LogEventLevel.Warning, LogEventLevel.Error];

    public static long Run(int worker, DateTime deadline, bool fullSpeed)
    {
        var random = new Random(worker);
        long operations = 0;
        while (DateTime.UtcNow < deadline)
        {
            var module = Modules[random.Next(Modules.Length)];
            var endpoint = Endpoints[random.Next(Endpoints.Length)];
            var durationMs = Math.Round(5 + random.NextDouble() * 95, 1);
            var log = Log.ForContext("SourceContext", module).ForContext("Worker", worker);

            switch (Levels[operations % Levels.Length])
            {
                case LogEventLevel.Debug:
                    log.Debug("Cache lookup for {Endpoint} took {DurationMs} ms", endpoint, durationMs);
                    break;
                case LogEventLevel.Information:
                    log.Information("Request {Endpoint} processed for user {UserId} with status {StatusCode} in {DurationMs} ms",
                        endpoint, random.Next(1, 10_000), 200, durationMs);
                    break;
                case LogEventLevel.Warning:
                    log.Warning("Request {Endpoint} was slow: {DurationMs} ms", endpoint, durationMs);
                    break;
                default:
                    log.Error(new TimeoutException($"The upstream call for {endpoint} timed out."),
                        "Request {Endpoint} failed with status {StatusCode}", endpoint, 504);
                    break;
            }

            log.Metric("response_time", durationMs, "ms");
            if (operations % 10 == 0)
            {
                using (log.TimeMetric($"operation_duration_{module}"))
                    Thread.SpinWait(random.Next(1_000, 50_000));
            }

            operations++;
            if (!fullSpeed)
                Thread.Sleep(10);
        }

        return operations;
    }
}
