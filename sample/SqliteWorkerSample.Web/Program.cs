// A minimal API that keeps its request log, its own events and a metric per request in one SQLite file.
using System.Diagnostics;
using Serilog;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;

SelfLog.Enable(Console.Error);

var builder = WebApplication.CreateBuilder(args);
// The sinks, the database path included, come from the "Serilog" section of appsettings.json.
builder.Services.AddSerilog((services, configuration) => configuration.ReadFrom.Configuration(builder.Configuration));

var app = builder.Build();
app.UseSerilogRequestLogging();

// One metric per request, with the route in its properties.
app.Use(async (context, next) =>
{
    var started = Stopwatch.GetTimestamp();
    await next(context);
    Log.Logger.ForContext("Path", context.Request.Path.Value).ForContext("StatusCode", context.Response.StatusCode)
        .Metric("request_duration", Stopwatch.GetElapsedTime(started).TotalMilliseconds, "ms");
});

app.MapGet("/orders/{id:int}", (int id, ILogger<Program> logger) =>
{
    // Scopes from Microsoft.Extensions.Logging become properties of every event inside them.
    using (logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = id }))
    {
        logger.LogInformation("Looking up order {OrderId} for {Customer}", id, "ada@example.com");
        return Results.Ok(new { id, status = "shipped" });
    }
});

app.MapGet("/fail", (ILogger<Program> logger) =>
{
    logger.LogError(new InvalidOperationException("The payment service is down."), "Checkout failed");
    return Results.Problem("Checkout failed", statusCode: 503);
});

// The log database answering questions about the app itself, through the query helper.
var databasePath = Path.GetFullPath(builder.Configuration["Serilog:WriteTo:Sqlite:Args:databasePath"] ?? "web-logs.db");
app.MapGet("/report", (int? minutes) =>
{
    using var db = SqliteWorkerDatabase.Open(databasePath);
    var since = DateTimeOffset.UtcNow.AddMinutes(-(minutes ?? 60));
    var statistics = db.GetStatistics(since: since);
    return Results.Ok(new
    {
        statistics.LogCount,
        statistics.MetricCount,
        ByLevel = statistics.ByLevel.ToDictionary(g => g.Key.ToString(), g => g.Count),
        RecentErrors = db.GetLogs(new LogFilter { MinimumLevel = LogEventLevel.Error, Since = since }, limit: 10)
            .Select(e => new { e.Timestamp, e.Message, e.Exception }),
        RequestDuration = db.SummarizeMetric(new MetricFilter { Name = "request_duration", Since = since }),
    });
});

try
{
    await app.RunAsync();
}
finally
{
    await Log.CloseAndFlushAsync();
}
