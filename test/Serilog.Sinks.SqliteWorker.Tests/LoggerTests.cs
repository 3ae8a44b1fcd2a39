using System.Data.SQLite;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

public class LoggerTests
{
    [Test]
    public void DisposingTheLoggerWritesEverythingQueued()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        // A long buffering time: nothing is written before the logger is disposed.
        using (var logger = new LoggerConfiguration()
                   .WriteTo.SqliteWorker(path, bufferingTimeLimit: TimeSpan.FromMinutes(5), batchSizeLimit: 1000)
                   .CreateLogger())
        {
            for (var i = 0; i < 2500; i++)
                logger.Information("Event {Index}", i);
        }

        Database.Count(path, "logs").Should().Be(2500);
    }

    [Test]
    public async Task CloseAndFlushAsyncWritesEverythingQueued()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        Log.Logger = new LoggerConfiguration().WriteTo.SqliteWorker(path, bufferingTimeLimit: TimeSpan.FromMinutes(5)).CreateLogger();
        Log.Information("Hello");
        Log.Logger.Metric("response_time", 45.2, "ms");
        using (Log.Logger.TimeMetric("db_query")) { }
        await Log.CloseAndFlushAsync();

        Database.Count(path, "logs").Should().Be(1);
        Database.Count(path, "metrics").Should().Be(2);
    }

    [Test]
    public void TheMonitoringHookReceivesEachCommittedBatchAndRunningTotals()
    {
        using var folder = new TempFolder();
        var reports = new List<SqliteWorkerBatchWritten>();
        var options = new SqliteWorkerSinkOptions { DatabasePath = folder.File("logs.db"), OnBatchWritten = reports.Add };

        using (var logger = new LoggerConfiguration()
                   .WriteTo.SqliteWorker(options, new Configuration.BatchingOptions { BatchSizeLimit = 10, BufferingTimeLimit = TimeSpan.FromMinutes(5) })
                   .CreateLogger())
        {
            for (var i = 0; i < 25; i++)
                logger.Information("Event {Index}", i);
            for (var i = 0; i < 5; i++)
                logger.Metric("m", i);
        }

        reports.Sum(r => r.LogsWritten + r.MetricsWritten).Should().Be(30);
        reports.Should().OnlyContain(r => r.LogsWritten + r.MetricsWritten <= 10 && r.Elapsed > TimeSpan.Zero);
        var last = reports[^1];
        last.TotalLogsWritten.Should().Be(25);
        last.TotalMetricsWritten.Should().Be(5);
        last.TotalEventsDropped.Should().Be(0);
        last.EventsQueued.Should().Be(0);
    }

    [Test]
    public void AnAlertOnErrorsSeesTheErrorAndFatalEventsOfEveryBatch()
    {
        using var folder = new TempFolder();
        var alerts = new List<(int Errors, int Written, int ByLevel)>();
        var options = new SqliteWorkerSinkOptions
        {
            DatabasePath = folder.File("logs.db"),
            // As the docs show it: a callback that counts the batch's errors and raises an alert.
            OnBatchWritten = written =>
            {
                var errors = written.LogsWrittenAt(LogEventLevel.Error) + written.LogsWrittenAt(LogEventLevel.Fatal);
                var byLevel = Enum.GetValues<LogEventLevel>().Sum(written.LogsWrittenAt);
                alerts.Add((errors, written.LogsWritten, byLevel));
            },
        };

        using (var logger = new LoggerConfiguration()
                   .MinimumLevel.Verbose()
                   .WriteTo.SqliteWorker(options, new Configuration.BatchingOptions { BatchSizeLimit = 7, BufferingTimeLimit = TimeSpan.FromMinutes(5) })
                   .CreateLogger())
        {
            // 60 events, ten of each level, with metrics (written at Information) in between.
            for (var i = 0; i < 60; i++)
            {
                logger.Write((LogEventLevel)(i % 6), "Event {Index}", i);
                if (i % 10 == 0)
                    logger.Metric("m", i);
            }
        }

        alerts.Sum(a => a.Errors).Should().Be(20, "ten Error and ten Fatal events were logged");
        alerts.Should().OnlyContain(a => a.ByLevel == a.Written, "every log row is counted at its level, once");
        alerts.Sum(a => a.Written).Should().Be(60, "metrics are not log rows");
    }

    [Category(Needs.Sqlite3Client)]
    [Test]
    public async Task EachBatchReportsItsOwnLogRowsByLevelAndLeavesOutTheRowsTheDatabaseRefused()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var reports = new List<SqliteWorkerBatchWritten>();
        using var sink = SinkFactory.Create(path, o => o.OnBatchWritten = reports.Add, new FailureCollector());
        await sink.EmitBatchAsync([Some.LogEvent("Creates the tables")]);
        Sqlite3Client.Run(path, "CREATE TRIGGER no_poison BEFORE INSERT ON logs WHEN NEW.message LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'poison refused'); END;");

        await sink.EmitBatchAsync(
        [
            Some.LogEvent("Failed", LogEventLevel.Error), Some.LogEvent("Failed", LogEventLevel.Error),
            Some.LogEvent("Down", LogEventLevel.Fatal), Some.LogEvent("Slow", LogEventLevel.Warning),
            Metric("queue_length", 3), Metric("queue_length", 4),
        ]);
        // Written row by row: the refused Error is not counted, the other is.
        await sink.EmitBatchAsync(
        [
            Some.LogEvent("Failed, poison", LogEventLevel.Error), Some.LogEvent("Failed", LogEventLevel.Error),
            Some.LogEvent("Detail", LogEventLevel.Debug),
        ]);

        reports.Should().HaveCount(3);
        Counts(reports[1]).Should().Equal(0, 0, 0, 1, 2, 1);
        reports[1].LogsWritten.Should().Be(4);
        reports[1].MetricsWritten.Should().Be(2);
        Counts(reports[2]).Should().Equal(0, 1, 0, 0, 1, 0);
        reports[2].LogsWritten.Should().Be(2);
        reports[2].LogsWrittenAt((LogEventLevel)42).Should().Be(0, "a value outside the enumeration has no rows");

        static IEnumerable<int> Counts(SqliteWorkerBatchWritten written) => Enum.GetValues<LogEventLevel>().Select(written.LogsWrittenAt);

        static LogEvent Metric(string name, double value)
        {
            var metric = MetricEvent.Create(name, value, unit: null);
            return new LogEvent(DateTimeOffset.Now, metric.Level, null, metric.MessageTemplate,
                metric.Properties.Select(p => new LogEventProperty(p.Key, p.Value)));
        }
    }

    [Test]
    public void AnExceptionFromTheMonitoringHookDoesNotLoseTheBatch()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var options = new SqliteWorkerSinkOptions { DatabasePath = path, OnBatchWritten = _ => throw new InvalidOperationException("hook broke") };
        var selfLog = new StringWriter();
        SelfLog.Enable(TextWriter.Synchronized(selfLog));
        try
        {
            using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(options).CreateLogger())
            {
                logger.Information("One");
                logger.Information("Two");
            }
        }
        finally
        {
            SelfLog.Disable();
        }

        Database.Count(path, "logs").Should().Be(2);
        selfLog.ToString().Should().Contain("OnBatchWritten callback threw").And.Contain("hook broke");
    }

    [Test]
    public void WhenTheQueueIsFullEventsAreDroppedCountedAndReported()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using var stall = new WriterStall();
        var options = new SqliteWorkerSinkOptions { DatabasePath = path, OnBatchWritten = stall.OnBatchWritten };
        var selfLog = new StringWriter();
        SelfLog.Enable(TextWriter.Synchronized(selfLog));
        try
        {
            using (var logger = new LoggerConfiguration()
                       .WriteTo.SqliteWorker(options, new Configuration.BatchingOptions { BatchSizeLimit = 100, QueueLimit = 5, EagerlyEmitFirstEvent = true })
                       .CreateLogger())
            {
                logger.Information("First");
                stall.WaitUntilWriterIsHeld();
                for (var i = 0; i < 20; i++)
                    logger.Information("Event {Index}", i);
                stall.Release();
            }
        }
        finally
        {
            SelfLog.Disable();
        }

        Database.Count(path, "logs").Should().Be(6);
        stall.Reports[^1].TotalEventsDropped.Should().Be(15);
        selfLog.ToString().Should().Contain("the queue is full (5 events waiting to be written)");
    }

    [Test]
    public async Task WhenBlockingTheCallerWaitsForRoomAndNothingIsLost()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using var stall = new WriterStall();
        var options = new SqliteWorkerSinkOptions { DatabasePath = path, BlockWhenFull = true, OnBatchWritten = stall.OnBatchWritten };

        using (var logger = new LoggerConfiguration()
                   .WriteTo.SqliteWorker(options, new Configuration.BatchingOptions { BatchSizeLimit = 100, QueueLimit = 5, EagerlyEmitFirstEvent = true })
                   .CreateLogger())
        {
            logger.Information("First");
            stall.WaitUntilWriterIsHeld();
            var producer = Task.Run(() =>
            {
                for (var i = 0; i < 20; i++)
                    logger.Information("Event {Index}", i);
            });

            // While the writer is held, at most five events fit; the producer cannot finish.
            (await Task.WhenAny(producer, Task.Delay(300))).Should().NotBeSameAs(producer);
            stall.Release();
            await producer.WaitAsync(TimeSpan.FromSeconds(30));
        }

        Database.Count(path, "logs").Should().Be(21);
        stall.Reports[^1].TotalEventsDropped.Should().Be(0);
    }

    [Test]
    public void ANamedInMemoryDatabaseCanBeReadBackInTheSameProcess()
    {
        var uri = $"file:logs-{Guid.NewGuid():n}?mode=memory&cache=shared";
        // This connection keeps the in-memory database alive after the sink closes its own.
        using var reader = new SQLiteConnection(new SQLiteConnectionStringBuilder { FullUri = uri }.ConnectionString);
        reader.Open();

        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(uri).CreateLogger())
        {
            logger.Information("Hello {Name}", "tests");
            logger.Metric("answers", 42);
        }

        Database.Query(reader, "SELECT message FROM logs").Single()["message"].Should().Be("Hello \"tests\"");
        Database.Query(reader, "SELECT value FROM metrics").Single()["value"].Should().Be(42.0);
    }

    [Test]
    public void ThePrivateInMemoryDatabaseAcceptsEvents()
    {
        var reports = new List<SqliteWorkerBatchWritten>();
        using (var logger = new LoggerConfiguration()
                   .WriteTo.SqliteWorker(new SqliteWorkerSinkOptions { DatabasePath = ":memory:", OnBatchWritten = reports.Add })
                   .CreateLogger())
            logger.Information("Gone with the sink");

        reports.Sum(r => r.LogsWritten).Should().Be(1);
    }

    [Test]
    public void ALevelSwitchChangesWhatTheSinkWritesWhileTheLoggerRuns()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var levelSwitch = new Core.LoggingLevelSwitch(Events.LogEventLevel.Warning);

        using (var logger = new LoggerConfiguration().MinimumLevel.Verbose()
                   .WriteTo.SqliteWorker(path, levelSwitch: levelSwitch).CreateLogger())
        {
            logger.Information("Filtered out");
            levelSwitch.MinimumLevel = Events.LogEventLevel.Information;
            logger.Information("Let through");
        }

        Database.Query(path, "SELECT message FROM logs").Select(r => r["message"]).Should().Equal("Let through");
    }

    [Test]
    public void WithoutAFormatProviderMessagesAreCultureInvariantWhateverTheLoggingThreadsCulture()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
        {
            var thread = new Thread(() =>
            {
                System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
                logger.Information("Took {Elapsed} ms", 23.4);
            });
            thread.Start();
            thread.Join();
            logger.Information("Took {Elapsed} ms", 1.5);
        }

        // Rendered on the thread that logs, but not in its culture: the rows do not depend on which thread logged.
        Database.Query(path, "SELECT message FROM logs ORDER BY id").Select(r => (string)r["message"]!)
            .Should().Equal("Took 23.4 ms", "Took 1.5 ms");
    }

    [Test]
    public void TheFormatProviderRendersMessages()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var logger = new LoggerConfiguration()
                   .WriteTo.SqliteWorker(path, formatProvider: new System.Globalization.CultureInfo("de-DE")).CreateLogger())
            logger.Information("Took {Elapsed} ms", 23.4);

        Database.Scalar(path, "SELECT message FROM logs").Should().Be("Took 23,4 ms");
        // Properties stay culture-invariant JSON.
        Database.Scalar(path, "SELECT json_extract(properties, '$.Elapsed') FROM logs").Should().Be(23.4);
    }

    /// <summary>Holds the sink's writer inside its first OnBatchWritten call until released, so the queue fills up.</summary>
    sealed class WriterStall : IDisposable
    {
        readonly ManualResetEventSlim _held = new();
        readonly ManualResetEventSlim _released = new();
        int _calls;

        public List<SqliteWorkerBatchWritten> Reports { get; } = [];

        public void OnBatchWritten(SqliteWorkerBatchWritten written)
        {
            lock (Reports)
                Reports.Add(written);
            if (Interlocked.Increment(ref _calls) == 1)
            {
                _held.Set();
                _released.Wait(TimeSpan.FromSeconds(60));
            }
        }

        public void WaitUntilWriterIsHeld() => _held.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();

        public void Release() => _released.Set();

        public void Dispose()
        {
            _released.Set();
            _held.Dispose();
            _released.Dispose();
        }
    }
}
