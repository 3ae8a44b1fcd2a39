// Measures the pauses retention adds to logging: prefills a database with old rows, then logs at a steady rate through
// the sink, first with retention off (the baseline) and then on, and records the gaps between committed batches.
//
//   dotnet run -c Release --project test/Serilog.Sinks.SqliteWorker.RetentionBench -- [--rows 1000000] [--rate 20000]
//       [--baseline-seconds 10] [--mode period|size] [--path retention-bench.db]

using System.Diagnostics;
using System.Globalization;
using Serilog;
using Serilog.Debugging;
using Serilog.Sinks.SqliteWorker;

SelfLog.Enable(Console.Error);
var settings = BenchSettings.Parse(args);
var path = Path.GetFullPath(settings.Path);
foreach (var file in new[] { path, path + "-wal", path + "-shm" })
    File.Delete(file);

// The schema comes from the sink itself; the old rows are written straight in, far quicker than through a logger.
using (var creator = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
    creator.Information("Creates the tables");
var started = Stopwatch.GetTimestamp();
var (lastOldLogId, lastOldMetricId) = Prefill.OldRows(path, settings.Rows);
var prefillSize = new FileInfo(path).Length;
Console.WriteLine($"Prefilled {settings.Rows:N0} rows two days old ({settings.Rows - settings.Rows / 5:N0} logs, {settings.Rows / 5:N0} " +
                  $"metrics), {prefillSize / 1024.0 / 1024.0:0} MB, in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");

var baseline = Run(path, settings, retention: false, until: () => false, maxSeconds: settings.BaselineSeconds);
Console.WriteLine(baseline.Describe("Retention off (baseline)"));

// Size mode: a limit of a tenth of the prefilled file, so that ~90% of the old rows must go.
long sizeLimit = Math.Max(prefillSize / 10, 1024 * 1024);
bool BacklogGone()
{
    using var connection = Prefill.Open(path);
    using var command = connection.CreateCommand();
    if (settings.Mode == "size")
    {
        command.CommandText = "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()";
        return (long)command.ExecuteScalar()! <= sizeLimit;
    }

    // The old rows are the ids after the sink's first row and up to the last prefilled one: a range read of the rowids.
    command.CommandText = "SELECT NOT EXISTS (SELECT 1 FROM logs WHERE id > 1 AND id <= @lastLog) AND NOT EXISTS (SELECT 1 FROM metrics WHERE id <= @lastMetric)";
    command.Parameters.AddWithValue("@lastLog", lastOldLogId);
    command.Parameters.AddWithValue("@lastMetric", lastOldMetricId);
    return (long)command.ExecuteScalar()! == 1;
}

var withRetention = Run(path, settings, retention: true, BacklogGone, maxSeconds: 300, sizeLimit);
Console.WriteLine(withRetention.Describe(settings.Mode == "size"
    ? $"Retention on (maxDatabaseSize {sizeLimit / 1024 / 1024} MB)"
    : "Retention on (retentionPeriod 1 hour)"));
Console.WriteLine(withRetention.BacklogGoneAfter is { } gone
    ? $"Backlog gone after {gone.TotalSeconds:0.0} s; longest gap between batches {withRetention.LongestGap.TotalMilliseconds:0} ms " +
      $"vs {baseline.LongestGap.TotalMilliseconds:0} ms without retention"
    : "The backlog was NOT gone within the time limit");
Console.WriteLine($"File: {new FileInfo(path).Length / 1024.0 / 1024.0:0} MB (was {prefillSize / 1024.0 / 1024.0:0} MB)");

static RunResult Run(string path, BenchSettings settings, bool retention, Func<bool> until, int maxSeconds, long? sizeLimit = null)
{
    var commits = new List<(long At, int Events, TimeSpan Elapsed, int Queued, long Dropped)>(100_000);
    var options = new SqliteWorkerSinkOptions
    {
        DatabasePath = path,
        OnBatchWritten = b => commits.Add((Stopwatch.GetTimestamp(), b.LogsWritten + b.MetricsWritten, b.Elapsed, b.EventsQueued, b.TotalEventsDropped)),
        RetentionPeriod = retention && settings.Mode == "period" ? TimeSpan.FromHours(1) : null,
        MaxDatabaseSize = retention && settings.Mode == "size" ? sizeLimit : null,
    };

    TimeSpan? backlogGoneAfter = null;
    var started = Stopwatch.GetTimestamp();
    using (var logger = new LoggerConfiguration()
               .WriteTo.SqliteWorker(options)
               .CreateLogger())
    {
        using var stop = new CancellationTokenSource();
        var producer = Task.Run(() => Produce(logger, settings.Rate, stop.Token));
        while (Stopwatch.GetElapsedTime(started).TotalSeconds < maxSeconds)
        {
            Thread.Sleep(250);
            if (until())
            {
                backlogGoneAfter = Stopwatch.GetElapsedTime(started);
                Thread.Sleep(2000); // and a little logging after it, with retention idle again
                break;
            }
        }

        stop.Cancel();
        producer.Wait();
    }

    // The logger is disposed: the writer, which filled the list, has finished.
    var gaps = commits.Skip(1).Select((c, i) => Stopwatch.GetElapsedTime(commits[i].At, c.At)).Order().ToArray();
    return new RunResult(commits.Count, commits.Sum(c => (long)c.Events), gaps, commits.Max(c => c.Queued),
        commits.Max(c => c.Elapsed), backlogGoneAfter, commits.Max(c => c.Dropped));
}

// A steady rate, in bursts every 10 ms; one event in ten is a metric.
static void Produce(ILogger logger, int perSecond, CancellationToken stop)
{
    var perTick = Math.Max(1, perSecond / 100);
    var clock = Stopwatch.StartNew();
    long seq = 0;
    for (var tick = 0L; !stop.IsCancellationRequested; tick++)
    {
        for (var i = 0; i < perTick; i++, seq++)
        {
            if (seq % 10 == 0)
                logger.Metric("request_ms", seq % 250, "ms");
            else
                logger.Information("Handled request {RequestId} for {User} in {Elapsed} ms", seq, "user-" + (seq % 100), seq % 250);
        }

        var due = TimeSpan.FromMilliseconds((tick + 1) * 10);
        var wait = due - clock.Elapsed;
        if (wait > TimeSpan.Zero)
            Thread.Sleep(wait);
    }
}

sealed record RunResult(int Batches, long Events, TimeSpan[] Gaps, int MaxQueued, TimeSpan LongestBatch, TimeSpan? BacklogGoneAfter, long Dropped)
{
    public TimeSpan LongestGap => Gaps.Length == 0 ? TimeSpan.Zero : Gaps[^1];

    TimeSpan Percentile(double p) => Gaps.Length == 0 ? TimeSpan.Zero : Gaps[Math.Min(Gaps.Length - 1, (int)(Gaps.Length * p))];

    public string Describe(string title) => string.Create(CultureInfo.InvariantCulture,
        $"{title}: {Batches:N0} batches, {Events:N0} events; gap between batches median {Percentile(0.5).TotalMilliseconds:0} ms, " +
        $"p99 {Percentile(0.99).TotalMilliseconds:0} ms, max {LongestGap.TotalMilliseconds:0} ms; longest batch " +
        $"{LongestBatch.TotalMilliseconds:0} ms; most events queued {MaxQueued:N0}; dropped {Dropped:N0}");
}

sealed record BenchSettings(int Rows, int Rate, int BaselineSeconds, string Mode, string Path)
{
    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(1_000_000, 20_000, 10, "period", "retention-bench.db");
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            settings = args[i] switch
            {
                "--rows" => settings with { Rows = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--rate" => settings with { Rate = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--baseline-seconds" => settings with { BaselineSeconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--mode" when args[i + 1] is "period" or "size" => settings with { Mode = args[i + 1] },
                "--path" => settings with { Path = args[i + 1] },
                _ => throw new ArgumentException($"Unknown option {args[i]} {args[i + 1]}; see the comment at the top of Program.cs."),
            };
        }

        return settings;
    }
}
