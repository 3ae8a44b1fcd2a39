using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// The pauses between attempts at a batch that keeps failing, as Serilog's batching has them: the buffering time after
/// the first failure, then doubling from at least 5 seconds, never past the retry time limit. Each failure report says
/// when the next attempt comes; the times the reports arrive show the writer keeps to it. The one-minute cap on a pause
/// is shown through the schedule the writer computes its pauses with: seeing it end to end would take minutes.
/// </summary>
public partial class RetryBackoffTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    static readonly TimeSpan BufferingTime = TimeSpan.FromMilliseconds(100);

    // What an attempt itself takes against the held lock, a few seconds, and a loaded machine's delays.
    static readonly TimeSpan Slack = TimeSpan.FromSeconds(15);

    // Serilog 4.4's batching caps a pause at one minute (FailureAwareBatchScheduler.MaximumBackoffInterval).
    [TestCase(1, 2_000, 2_000)]
    [TestCase(2, 2_000, 10_000)]
    [TestCase(3, 2_000, 20_000)]
    [TestCase(4, 2_000, 40_000)]
    [TestCase(5, 2_000, 60_000)]
    [TestCase(40, 2_000, 60_000)]
    [TestCase(2, 100, 10_000)]
    [TestCase(3, 120_000, 120_000)]
    public void PausesDoubleFromFiveSecondsUpToOneMinuteAndNeverUnderTheBufferingTime(int failures, int bufferingMilliseconds, int expectedMilliseconds)
    {
        SqliteWorkerSink.PauseAfter(failures, TimeSpan.FromMilliseconds(bufferingMilliseconds))
            .Should().Be(TimeSpan.FromMilliseconds(expectedMilliseconds));
    }

    [Category(Needs.Sqlite3Client)]
    [Test]
    public void TheFirstRetryComesAfterTheBufferingTimeAndLaterOnesAfterPausesThatDouble()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using (new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger()) { }
        var attempts = new TimedFailures();

        using (var holder = LockHolder.Take(path))
        using (var logger = Logger(path, attempts, retryTimeLimit: TimeSpan.FromMinutes(10)))
        {
            logger.Information("Kept failing");
            attempts.WaitForCount(3, Patience).Should().BeTrue("three attempts fail within the first two pauses");
        }

        var reports = attempts.Reports.Take(3).ToList();
        reports.Should().OnlyContain(r => r.Kind == LoggingFailureKind.Temporary);
        var pauses = reports.Select(r => NextAttemptIn(r.Message)).ToList();
        pauses.Should().Equal(BufferingTime, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
        // The attempts keep to the pauses they announced: never early, and late by no more than a loaded machine makes them.
        var observed = reports[1].At - reports[0].At;
        observed.Should().BeGreaterThanOrEqualTo(pauses[0] * 0.9).And.BeLessThan(pauses[0] + Slack);
        observed = reports[2].At - reports[1].At;
        observed.Should().BeGreaterThanOrEqualTo(pauses[1] * 0.9).And.BeLessThan(pauses[1] + Slack);
    }

    static Logger Logger(string path, ILoggingFailureListener listener, TimeSpan retryTimeLimit) =>
        new LoggerConfiguration()
            .WriteTo.Fallible(wt => wt.SqliteWorker(
                new SqliteWorkerSinkOptions { DatabasePath = path, BusyTimeout = TimeSpan.FromMilliseconds(50) },
                new BatchingOptions { BufferingTimeLimit = BufferingTime, RetryTimeLimit = retryTimeLimit }), listener)
            .CreateLogger();

    static TimeSpan NextAttemptIn(string message)
    {
        var match = NextAttemptPattern().Match(message);
        match.Success.Should().BeTrue($"a failure that will be retried says when: \"{message}\"");
        return TimeSpan.Parse(match.Groups["pause"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"tried again in (?<pause>[0-9:.]+[0-9])")]
    private static partial Regex NextAttemptPattern();

    sealed record TimedReport(LoggingFailureKind Kind, string Message, TimeSpan At);

    /// <summary>Keeps each report with the time it arrived, read from one stopwatch.</summary>
    sealed class TimedFailures : ILoggingFailureListener
    {
        readonly Stopwatch _clock = Stopwatch.StartNew();
        readonly List<TimedReport> _reports = [];

        public IReadOnlyList<TimedReport> Reports
        {
            get { lock (_reports) return _reports.ToList(); }
        }

        public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events,
            Exception? exception)
        {
            lock (_reports)
            {
                _reports.Add(new TimedReport(kind, message, _clock.Elapsed));
                Monitor.PulseAll(_reports);
            }
        }

        public bool WaitForCount(int count, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            lock (_reports)
            {
                while (_reports.Count < count)
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                        return false;
                    Monitor.Wait(_reports, left);
                }

                return true;
            }
        }
    }
}
