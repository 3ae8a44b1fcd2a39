// A multi-threaded logging demo: several threads log at mixed levels with metadata and record metrics into one SQLite
// file; at the end a summary is read back from that file.
using System.Diagnostics;
using Serilog;
using Serilog.Debugging;
using Serilog.Sinks.SqliteWorker;
using SqliteWorkerSample;

SelfLog.Enable(Console.Error);

var settings = SampleSettings.Parse(args);
var databasePath = Path.GetFullPath(settings.DatabasePath);
var runStarted = DateTimeOffset.UtcNow;
long batches = 0;
var slowestBatch = TimeSpan.Zero;
SqliteWorkerBatchWritten? lastBatch = null;

Log.Logger = new LoggerConfiguration()
    .MinimumLevel.Debug()
    .Enrich.WithThreadId()
    .WriteTo.SqliteWorker(
        new SqliteWorkerSinkOptions
        {
            DatabasePath = databasePath,
            // The monitoring hook: runs on the sink's writer after every committed batch.
            OnBatchWritten = batch =>
            {
                batches++;
                if (batch.Elapsed > slowestBatch)
                    slowestBatch = batch.Elapsed;
                lastBatch = batch;
            },
        })
    .CreateLogger();

Console.WriteLine($"Logging from {settings.Threads} threads for {settings.Seconds} s " +
                  $"({(settings.FullSpeed ? "full speed" : "paced, 10 ms between operations")}) into {databasePath}");

var stopwatch = Stopwatch.StartNew();
var deadline = DateTime.UtcNow.AddSeconds(settings.Seconds);
var workers = Enumerable.Range(1, settings.Threads)
    .Select(worker => Task.Factory.StartNew(() => Workload.Run(worker, deadline, settings.FullSpeed), TaskCreationOptions.LongRunning))
    .ToArray();
var operations = (await Task.WhenAll(workers)).Sum();
var logged = stopwatch.Elapsed;

// Everything queued is written before this returns.
await Log.CloseAndFlushAsync();
var flushed = stopwatch.Elapsed;

Console.WriteLine($"All workers completed {operations:N0} operations in {logged.TotalSeconds:F2} s; " +
                  $"everything was written {(flushed - logged).TotalMilliseconds:F0} ms later.");
Console.WriteLine($"The sink committed {batches:N0} batches; the slowest took {slowestBatch.TotalMilliseconds:F1} ms; " +
                  $"{lastBatch?.TotalEventsDropped ?? 0:N0} events were dropped.");
Console.WriteLine();

RunSummary.Print(databasePath, runStarted, flushed);
