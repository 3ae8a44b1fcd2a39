using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;

namespace SqliteWorkerSample;

/// <summary>The end-of-run summary, read back from the database with the query helper, for this run's rows only.</summary>
static class RunSummary
{
    public static void Print(string databasePath, DateTimeOffset runStarted, TimeSpan elapsed)
    {
        using var db = SqliteWorkerDatabase.Open(databasePath);
        var thisRun = new LogFilter { Since = runStarted };
        var statistics = db.GetStatistics(since: runStarted);

        Console.WriteLine("Summary");
        Console.WriteLine($"   Total logs:      {statistics.LogCount,12:N0}");
        Console.WriteLine($"   Total metrics:   {statistics.MetricCount,12:N0}");
        Console.WriteLine($"   Logs per second: {statistics.LogCount / elapsed.TotalSeconds,12:N2}");

        Section("Logs by level");
        foreach (var level in statistics.ByLevel)
            Console.WriteLine($"   {level.Key,-12}{level.Count,10:N0} ({level.Percentage,5:F1}%)");

        Section("Logs by thread");
        foreach (var thread in statistics.ByThread)
            Console.WriteLine($"   thread {thread.Key,-5}{thread.Count,10:N0}");

        Section("Last 5 logs (times in UTC)");
        foreach (var log in db.GetLogs(thisRun, limit: 5))
            Console.WriteLine($"   {log.Timestamp:HH:mm:ss.fff} [{log.Level}] {log.SourceContext}: {log.Message}");

        Section("Recent errors");
        foreach (var error in db.GetLogs(thisRun with { MinimumLevel = LogEventLevel.Error }, limit: 5))
            Console.WriteLine($"   {error.Timestamp:HH:mm:ss.fff} {error.SourceContext}: {error.Message}");

        Section("Metric samples");
        foreach (var metric in db.GetMetrics(new MetricFilter { Since = runStarted }, limit: 5))
            Console.WriteLine($"   {metric.Timestamp:HH:mm:ss.fff} {metric.Name} = {metric.Value} {metric.Unit}");

        var responseTime = db.SummarizeMetric(new MetricFilter { Name = "response_time", Since = runStarted });
        Console.WriteLine($"   response_time over {responseTime.Count:N0} requests: p50 {responseTime.P50:F1} ms, " +
                          $"p95 {responseTime.P95:F1} ms, p99 {responseTime.P99:F1} ms, max {responseTime.Maximum:F1} ms");

        Section("Slowest operations");
        var slowest = db.CountByMetricName(new MetricFilter { NamePrefix = "operation_duration_", Since = runStarted })
            .Select(name => (Name: name.Key, Summary: db.SummarizeMetric(new MetricFilter { Name = name.Key, Since = runStarted })))
            .OrderByDescending(operation => operation.Summary.Maximum)
            .Take(5);
        foreach (var (name, summary) in slowest)
            Console.WriteLine($"   {name,-32} max {summary.Maximum,8:F2} ms over {summary.Count:N0} runs");

        Console.WriteLine();
        Console.WriteLine($"Open it yourself: sqlite3 {databasePath} \"SELECT level, COUNT(*) FROM logs GROUP BY level\"");
    }

    static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine(title);
    }
}
