// Logs numbered events through the SqliteWorker sink from several threads, as a process of its own, so that tests can
// kill it mid-write or run several of it against one file. Each event carries Worker (which thread of which process)
// and Seq (0, 1, 2, ... per worker), so a reader can tell exactly which events arrived.
//
//   TestWriter <database> [--name P] [--threads N] [--events M] [--batch-size B] [--buffering-ms T]
//              [--report-gaps]
//
// --events 0 logs until the process is killed. "started" is printed once the logger exists, "done" after
// CloseAndFlush. --report-gaps prints the longest time between two committed batches, which is how long logging
// stalled on the writer.
using System.Diagnostics;
using System.Globalization;
using Serilog;
using Serilog.Configuration;
using Serilog.Debugging;
using Serilog.Sinks.SqliteWorker;
using Serilog.Sinks.SqliteWorker.TestWriter;

SelfLog.Enable(Console.Error);

var settings = WriterSettings.Parse(args);
var lastBatchAt = 0L;
var longestGap = TimeSpan.Zero;
long batches = 0;

var options = new SqliteWorkerSinkOptions
{
    DatabasePath = settings.DatabasePath,
    // Nothing may be dropped: a test compares what arrived with what was logged.
    BlockWhenFull = true,
    OnBatchWritten = _ =>
    {
        var now = Stopwatch.GetTimestamp();
        if (lastBatchAt != 0 && Stopwatch.GetElapsedTime(lastBatchAt, now) is var gap && gap > longestGap)
            longestGap = gap;
        lastBatchAt = now;
        batches++;
    },
};

Log.Logger = new LoggerConfiguration()
    .WriteTo.SqliteWorker(options, new BatchingOptions
    {
        BatchSizeLimit = settings.BatchSize,
        BufferingTimeLimit = settings.BufferingTime,
        QueueLimit = 10_000,
    })
    .CreateLogger();
Console.WriteLine("started");

var workers = Enumerable.Range(0, settings.Threads)
    .Select(thread => Task.Factory.StartNew(() =>
    {
        var log = Log.ForContext("Worker", $"{settings.Name}-{thread}");
        for (long seq = 0; settings.Events == 0 || seq < settings.Events; seq++)
            log.Information("Event {Seq} from the writer", seq);
    }, TaskCreationOptions.LongRunning))
    .ToArray();
await Task.WhenAll(workers);
await Log.CloseAndFlushAsync();

if (settings.ReportGaps)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"batches {batches}, longest gap between batches {longestGap.TotalMilliseconds:F1} ms"));
Console.WriteLine("done");
