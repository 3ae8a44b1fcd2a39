using System.Diagnostics;
using System.Globalization;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;
using Serilog.Sinks.SqliteWorker.Query.Benchmarks;

// Usage: dotnet run -c Release --project test/Serilog.Sinks.SqliteWorker.Query.Benchmarks -- [--database PATH]
//        [--logs N] [--metrics N] [--runs N] [--regenerate]
// The database is generated once (about a minute for 1M + 1M rows) and reused by later runs unless --regenerate.
var options = BenchmarkOptions.Parse(args);
var path = Path.GetFullPath(options.DatabasePath);

if (options.Regenerate || !File.Exists(path))
{
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        File.Delete(file);
    Console.WriteLine($"Generating {options.Logs:N0} logs and {options.Metrics:N0} metrics in {path} ...");
    new DatabaseGenerator(path, options.Logs, options.Metrics, DateTimeOffset.UtcNow).Generate();
}

using var db = SqliteWorkerDatabase.Open(path);
var statistics = db.GetStatistics();
Console.WriteLine($"Database: {path}, {new FileInfo(path).Length / (1024.0 * 1024):N0} MiB, {statistics.LogCount:N0} logs, " +
                  $"{statistics.MetricCount:N0} metrics, {statistics.FirstTimestamp:u} to {statistics.LastTimestamp:u}");
Console.WriteLine($"Runs per call: {options.Runs} after one warm-up run (warm page cache); median, min and max in milliseconds.");
Console.WriteLine();

// The data ends when it was generated; time windows are anchored there, so that "last hour" finds the same rows
// whenever the benchmark is run. The calls marked "real clock" ask for the last hour before now, and so are measured
// on a database generated just before.
var end = statistics.LastTimestamp!.Value;
var lastHour = new LogFilter { Since = end.AddHours(-1) };
var lastHourMetric = new MetricFilter { Name = "response_time", Since = end.AddHours(-1) };
var traced = db.GetLogs(lastHour with { Level = LogEventLevel.Error }, 200).First(r => r.TraceId != null);

// The docs' recipe for the slowest operations: the names under the prefix, then each name's summary, by maximum.
int SlowestOperations(MetricFilter names) =>
    db.CountByMetricName(names)
        .Select(name => db.SummarizeMetric(names with { NamePrefix = null, Name = name.Key }))
        .OrderByDescending(summary => summary.Maximum)
        .Take(10)
        .Count();

var calls = new List<(string Name, Func<int> Call)>
{
    ("GetLogs() newest 100, no filter", () => db.GetLogs().Count),
    ("GetLogs(Level = Error, last hour), limit 100", () => db.GetLogs(lastHour with { Level = LogEventLevel.Error }).Count),
    ("GetLogs(MinimumLevel = Warning, last hour), limit 100", () => db.GetLogs(lastHour with { MinimumLevel = LogEventLevel.Warning }).Count),
    ("GetLogs(MinimumLevel = Warning, last hour), page 2", () =>
    {
        var first = db.GetLogs(lastHour with { MinimumLevel = LogEventLevel.Warning });
        return db.GetLogs(lastHour with { MinimumLevel = LogEventLevel.Warning }, after: first[^1].Position).Count;
    }),
    ("GetLogs(Since/Until = one hour 12 h ago), limit 100", () =>
        db.GetLogs(new LogFilter { Since = end.AddHours(-13), Until = end.AddHours(-12) }).Count),
    ("GetLogs(SourceContext, last hour), limit 100", () => db.GetLogs(lastHour with { SourceContext = "Shop.Email.Mailer" }).Count),
    ("GetLogs(MessageContains, last hour), limit 100", () => db.GetLogs(lastHour with { MessageContains = "signed in" }).Count),
    ("GetLogs(PropertyPath = StatusCode, 500, last hour)", () => db.GetLogs(lastHour with { PropertyPath = "StatusCode", PropertyValue = 500 }).Count),
    ("GetLogs(ThreadId, last hour), limit 100", () => db.GetLogs(lastHour with { ThreadId = 7 }).Count),
    ("GetLogs(TraceId, last hour)", () => db.GetLogs(lastHour with { TraceId = traced.TraceId }).Count),
    ("GetLogs(MinimumLevel = Error, Within = 1 h), limit 100 (real clock)", () =>
        db.GetLogs(new LogFilter { MinimumLevel = LogEventLevel.Error, Within = TimeSpan.FromHours(1) }).Count),
    ("GetMetrics(Name, last hour), limit 100", () => db.GetMetrics(lastHourMetric).Count),
    ("GetMetrics(NamePrefix, last hour), limit 100", () =>
        db.GetMetrics(new MetricFilter { NamePrefix = "operation_duration_", Since = end.AddHours(-1) }).Count),
    ("SummarizeMetric(response_time, Within = 1 h) (real clock)", () =>
        (int)db.SummarizeMetric(new MetricFilter { Name = "response_time", Within = TimeSpan.FromHours(1) }).Count),
    ("SummarizeMetric(response_time, last hour)", () => (int)db.SummarizeMetric(lastHourMetric).Count),
    ("SummarizeMetric(response_time, 24 h)", () => (int)db.SummarizeMetric(lastHourMetric with { Since = end.AddHours(-24) }).Count),
    ("SummarizeMetricPerBucket(response_time, last hour, Minute)", () => db.SummarizeMetricPerBucket(lastHourMetric, MetricBucketSize.Minute).Count),
    ("SummarizeMetricPerBucket(response_time, 24 h, Hour)", () =>
        db.SummarizeMetricPerBucket(lastHourMetric with { Since = end.AddHours(-24) }, MetricBucketSize.Hour).Count),
    ("Slowest operations: CountByMetricName(operation_duration_) + SummarizeMetric per name, all rows", () =>
        SlowestOperations(new MetricFilter { NamePrefix = "operation_duration_" })),
    ("Slowest operations: CountByMetricName(operation_duration_) + SummarizeMetric per name, last hour", () =>
        SlowestOperations(new MetricFilter { NamePrefix = "operation_duration_", Since = end.AddHours(-1) })),
    ("CountByLevel(last hour)", () => db.CountByLevel(lastHour).Count),
    ("CountByLevel(), all rows", () => db.CountByLevel().Count),
    ("CountByThread(last hour)", () => db.CountByThread(lastHour).Count),
    ("CountByThread(), all rows", () => db.CountByThread().Count),
    ("CountBySourceContext(last hour)", () => db.CountBySourceContext(lastHour).Count),
    ("CountBySourceContext(), all rows", () => db.CountBySourceContext().Count),
    ("CountByMessageTemplate(last hour), top 10", () => db.CountByMessageTemplate(lastHour).Count),
    ("CountByMessageTemplate(), all rows, top 10", () => db.CountByMessageTemplate().Count),
    ("GetTopExceptions(last hour), top 10", () => db.GetTopExceptions(lastHour).Count),
    ("GetTopExceptions(), all rows, top 10", () => db.GetTopExceptions().Count),
    ("GetStatistics(last hour)", () => (int)db.GetStatistics(end.AddHours(-1)).LogCount),
    ("GetStatistics(), all rows", () => (int)db.GetStatistics().LogCount),
    ("ExportLogsAsync(JsonLines, last hour) to Stream.Null", () =>
        (int)db.ExportLogsAsync(Stream.Null, ExportFormat.JsonLines, lastHour).GetAwaiter().GetResult()),
    ("ExportLogsAsync(Csv, last hour) to Stream.Null", () =>
        (int)db.ExportLogsAsync(Stream.Null, ExportFormat.Csv, lastHour).GetAwaiter().GetResult()),
};

Console.WriteLine("| Call | Rows | Median ms | Min ms | Max ms |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
foreach (var (name, call) in calls)
{
    var rows = call();
    var times = new double[options.Runs];
    for (var i = 0; i < times.Length; i++)
    {
        var started = Stopwatch.GetTimestamp();
        call();
        times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    Array.Sort(times);
    Console.WriteLine($"| `{name}` | {rows:N0} | {Ms(times[times.Length / 2])} | {Ms(times[0])} | {Ms(times[^1])} |");
}

if (options.Backup)
{
    var backup = path + ".backup-" + Guid.NewGuid().ToString("n") + ".db";
    var started = Stopwatch.GetTimestamp();
    db.Backup(backup);
    Console.WriteLine($"| `Backup()` (VACUUM INTO, once) | {new FileInfo(backup).Length / (1024 * 1024):N0} MiB | {Ms(Stopwatch.GetElapsedTime(started).TotalMilliseconds)} | | |");
    File.Delete(backup);
}

if (options.AggregateExperiment)
    AggregateExperiment.Run(path, options.Runs);

static string Ms(double value) => value.ToString(value < 10 ? "0.00" : value < 100 ? "0.0" : "0", CultureInfo.InvariantCulture);

sealed record BenchmarkOptions(string DatabasePath, int Logs, int Metrics, int Runs, bool Regenerate, bool Backup, bool AggregateExperiment)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions(Path.Combine(Path.GetTempPath(), "sqliteworker-bench", "query-1m.db"),
            1_000_000, 1_000_000, 7, false, false, false);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--database" => options with { DatabasePath = args[++i] },
                "--logs" => options with { Logs = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--metrics" => options with { Metrics = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--runs" => options with { Runs = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--regenerate" => options with { Regenerate = true },
                "--backup" => options with { Backup = true },
                "--aggregate-experiment" => options with { AggregateExperiment = true },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Use --database, --logs, --metrics, --runs, " +
                                                 "--regenerate, --backup or --aggregate-experiment."),
            };
        }

        return options;
    }
}
