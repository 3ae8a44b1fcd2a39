// Measures the pauses retention adds to logging: prefills a database with old rows, then logs at a steady rate through
// the sink, first with retention off (the baseline) and then on, and records the gaps between committed batches.
//
//   dotnet run -c Release --project test/Serilog.Sinks.SqliteWorker.RetentionBench -- [--rows 1000000] [--rate 20000]
//       [--baseline-seconds 10] [--mode period|size] [--path retention-bench.db] [--auto-vacuum on|off]
//
// --auto-vacuum off makes the size mode's file as a sink without a size limit would (or an earlier version of the
// sink): without incremental auto-vacuum, so that rows are deleted but the file cannot shrink.

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

// The file and its schema come from the sink itself, made as the sink makes it for the measured configuration: with a
// size limit (here one never reached), with incremental auto-vacuum. The old rows are written straight in, far quicker
// than through a logger.
using (var creator = new LoggerConfiguration()
           .WriteTo.SqliteWorker(path, maxDatabaseSize: settings.Mode == "size" && settings.AutoVacuum ? 1L << 40 : null)
           .CreateLogger())
    creator.Information("Creates the tables");
var started = Stopwatch.GetTimestamp();
var (lastOldLogId, lastOldMetricId) = Prefill.OldRows(path, settings.Rows);
var prefillSize = new FileInfo(path).Length;
Console.WriteLine($"Prefilled {settings.Rows:N0} rows two days old ({settings.Rows - settings.Rows / 5:N0} logs, {settings.Rows / 5:N0} " +
                  $"metrics), {Megabytes(prefillSize)}, in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s; " +
                  $"auto_vacuum = {Prefill.AutoVacuum(path)}");

var baseline = Run(path, settings, retention: false, until: () => false, maxSeconds: settings.BaselineSeconds);
Console.WriteLine(baseline.Describe("Retention off (baseline)"));

// Size mode: a limit of a tenth of the prefilled file, so that ~90% of the old rows must go, and then ~90% of the file.
long sizeLimit = Math.Max(prefillSize / 10, 1024 * 1024);
bool BacklogGone()
{
    using var connection = Prefill.Open(path);
    using var command = connection.CreateCommand();
    if (settings.Mode == "size")
    {
        // Gone when the rows use no more than the limit, and the file (WAL included) is no bigger than the limit either,
        // which a file without auto-vacuum never is again.
        var (used, file) = Prefill.UsedAndFileBytes(path);
        return used <= sizeLimit && (file <= sizeLimit || Prefill.AutoVacuum(path) != 2);
    }

    // The old rows are the ids after the sink's first row and up to the last prefilled one: a range read of the rowids.
    command.CommandText = "SELECT NOT EXISTS (SELECT 1 FROM logs WHERE id > 1 AND id <= @lastLog) AND NOT EXISTS (SELECT 1 FROM metrics WHERE id <= @lastMetric)";
    command.Parameters.AddWithValue("@lastLog", lastOldLogId);
    command.Parameters.AddWithValue("@lastMetric", lastOldMetricId);
    return (long)command.ExecuteScalar()! == 1;
}

// In size mode, the rows are within the limit before the file is: the deletes come first, then the space is given back.
var withRetention = Run(path, settings, retention: true, BacklogGone, maxSeconds: 300, sizeLimit,
    rowsWithinLimit: settings.Mode == "size" ? () => Prefill.UsedAndFileBytes(path).Used <= sizeLimit : null);
Console.WriteLine(withRetention.Describe(settings.Mode == "size"
    ? $"Retention on (maxDatabaseSize {sizeLimit / 1024 / 1024} MB)"
    : "Retention on (retentionPeriod 1 hour)"));
Console.WriteLine(withRetention.BacklogGoneAfter is { } gone
    ? $"Backlog gone after {gone.TotalSeconds:0.0} s" +
      (withRetention.RowsWithinLimitAfter is { } rowsDone ? $" (rows within the limit after {rowsDone.TotalSeconds:0.0} s)" : "") +
      (withRetention.LongestGapDeleting is { } deleting && withRetention.LongestGapGivingBack is { } givingBack
          ? $"; longest gap while deleting {deleting.TotalMilliseconds:0} ms, while giving space back {givingBack.TotalMilliseconds:0} ms"
          : "") +
      $"; longest gap between batches {withRetention.LongestGap.TotalMilliseconds:0} ms vs {baseline.LongestGap.TotalMilliseconds:0} ms without retention"
    : "The backlog was NOT gone within the time limit");
Console.WriteLine($"On disk: the file was {Megabytes(prefillSize)} after the prefill; {Megabytes(withRetention.FileWhenGone)} " +
                  $"(WAL {Megabytes(withRetention.WalWhenGone)}) when the backlog was gone, under load; " +
                  $"{Megabytes(withRetention.FileAfterWait)} (WAL {Megabytes(withRetention.WalAfterWait)}) 2 s later; the WAL was at most " +
                  $"{Megabytes(withRetention.LargestWal)}; {Megabytes(new FileInfo(path).Length)} once the logger was closed");

static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.0} MB");
static long Length(string file) => File.Exists(file) ? new FileInfo(file).Length : 0;

static RunResult Run(string path, BenchSettings settings, bool retention, Func<bool> until, int maxSeconds, long? sizeLimit = null,
    Func<bool>? rowsWithinLimit = null)
{
    var commits = new List<(long At, int Events, TimeSpan Elapsed, int Queued, long Dropped)>(100_000);
    var options = new SqliteWorkerSinkOptions
    {
        DatabasePath = path,
        OnBatchWritten = b => commits.Add((Stopwatch.GetTimestamp(), b.LogsWritten + b.MetricsWritten, b.Elapsed, b.EventsQueued, b.TotalEventsDropped)),
        RetentionPeriod = retention && settings.Mode == "period" ? TimeSpan.FromHours(1) : null,
        MaxDatabaseSize = retention && settings.Mode == "size" ? sizeLimit : null,
    };

    TimeSpan? backlogGoneAfter = null, rowsWithinLimitAfter = null;
    long largestWal = 0, fileWhenGone = 0, walWhenGone = 0, fileAfterWait = 0, walAfterWait = 0;
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
            largestWal = Math.Max(largestWal, Length(path + "-wal"));
            if (rowsWithinLimitAfter == null && rowsWithinLimit?.Invoke() == true)
                rowsWithinLimitAfter = Stopwatch.GetElapsedTime(started);
            if (until())
            {
                backlogGoneAfter = Stopwatch.GetElapsedTime(started);
                (fileWhenGone, walWhenGone) = (Length(path), Length(path + "-wal"));
                Thread.Sleep(2000); // and a little logging after it, with retention idle again
                (fileAfterWait, walAfterWait) = (Length(path), Length(path + "-wal"));
                largestWal = Math.Max(largestWal, walAfterWait);
                break;
            }
        }

        stop.Cancel();
        producer.Wait();
    }

    // The logger is disposed: the writer, which filled the list, has finished.
    var gaps = commits.Skip(1).Select((c, i) => Stopwatch.GetElapsedTime(commits[i].At, c.At)).Order().ToArray();
    // In size mode: the longest gap ending while rows were being deleted, and the longest after, while space was given
    // back (as far as the 250 ms polling tells them apart).
    TimeSpan LongestGapEnding(TimeSpan from, TimeSpan to) => commits.Skip(1)
        .Select((c, i) => (End: Stopwatch.GetElapsedTime(started, c.At), Gap: Stopwatch.GetElapsedTime(commits[i].At, c.At)))
        .Where(g => g.End > from && g.End <= to).Select(g => g.Gap).DefaultIfEmpty().Max();
    return new RunResult(commits.Count, commits.Sum(c => (long)c.Events), gaps, commits.Max(c => c.Queued),
        commits.Max(c => c.Elapsed), backlogGoneAfter, commits.Max(c => c.Dropped))
    {
        LargestWal = largestWal,
        FileWhenGone = fileWhenGone,
        WalWhenGone = walWhenGone,
        FileAfterWait = fileAfterWait,
        WalAfterWait = walAfterWait,
        RowsWithinLimitAfter = rowsWithinLimitAfter,
        LongestGapDeleting = rowsWithinLimitAfter is { } rowsDone ? LongestGapEnding(TimeSpan.Zero, rowsDone) : null,
        LongestGapGivingBack = rowsWithinLimitAfter is { } done && backlogGoneAfter is { } gone ? LongestGapEnding(done, gone) : null,
    };
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

    // On-disk sizes in bytes, sampled as the run went: the main file and its WAL.
    public long LargestWal { get; init; }
    public long FileWhenGone { get; init; }
    public long WalWhenGone { get; init; }
    public long FileAfterWait { get; init; }
    public long WalAfterWait { get; init; }
    public TimeSpan? RowsWithinLimitAfter { get; init; }
    public TimeSpan? LongestGapDeleting { get; init; }
    public TimeSpan? LongestGapGivingBack { get; init; }

    TimeSpan Percentile(double p) => Gaps.Length == 0 ? TimeSpan.Zero : Gaps[Math.Min(Gaps.Length - 1, (int)(Gaps.Length * p))];

    public string Describe(string title) => string.Create(CultureInfo.InvariantCulture,
        $"{title}: {Batches:N0} batches, {Events:N0} events; gap between batches median {Percentile(0.5).TotalMilliseconds:0} ms, " +
        $"p99 {Percentile(0.99).TotalMilliseconds:0} ms, max {LongestGap.TotalMilliseconds:0} ms; longest batch " +
        $"{LongestBatch.TotalMilliseconds:0} ms; most events queued {MaxQueued:N0}; dropped {Dropped:N0}");
}

sealed record BenchSettings(int Rows, int Rate, int BaselineSeconds, string Mode, string Path, bool AutoVacuum)
{
    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(1_000_000, 20_000, 10, "period", "retention-bench.db", AutoVacuum: true);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            settings = args[i] switch
            {
                "--rows" => settings with { Rows = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--rate" => settings with { Rate = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--baseline-seconds" => settings with { BaselineSeconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--mode" when args[i + 1] is "period" or "size" => settings with { Mode = args[i + 1] },
                "--path" => settings with { Path = args[i + 1] },
                "--auto-vacuum" when args[i + 1] is "on" or "off" => settings with { AutoVacuum = args[i + 1] == "on" },
                _ => throw new ArgumentException($"Unknown option {args[i]} {args[i + 1]}; see the comment at the top of Program.cs."),
            };
        }

        return settings;
    }
}
