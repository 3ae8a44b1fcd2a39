using System.Text.Json;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;
using Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests;

/// <summary><c>stats</c>, <c>metrics</c>, <c>export</c>, <c>backup</c> and <c>prune</c> against databases the sink wrote.</summary>
public sealed class CommandTests
{
    static string Db => ToolDatabase.Path;

    [Test]
    public async Task StatsShowsTotalsLevelsSourcesAndSizes()
    {
        var result = await SqliteLogs.RunAsync("stats", Db, "--utc");

        result.ExitCode.Should().Be(0, result.Error);
        var lines = result.OutputLines;
        lines.Should().Contain($"Logs       {ToolDatabase.LogCount}").And.Contain($"Metrics    {ToolDatabase.MetricCount}");
        lines.Should().Contain($"Database   {Db}");
        lines.Should().Contain(l => l.StartsWith($"File size  {Numbers.Bytes(new FileInfo(Db).Length)} (WAL ", StringComparison.Ordinal));
        using var db = SqliteWorkerDatabase.Open(Db);
        var statistics = db.GetStatistics();
        lines.Should().Contain("First      " + new TimeFormat(utc: true).Format(statistics.FirstTimestamp!.Value));
        foreach (var (level, count) in new[] { ("Error", 24), ("Warning", 24), ("Information", 168), ("Debug", 24) })
            lines.Should().ContainMatch($"│ {level} *│ *{count} │*");
        foreach (var source in ToolDatabase.Sources)
            lines.Should().ContainMatch($"│ {source} *│ *80 │ *33.3% │");
    }

    [Test]
    public async Task ADatabaseGivenAsAFileUriIsReadAndAMissingOneIsNamedAsGiven()
    {
        using var folder = new TempFolder();
        var missing = "file:" + folder.File("missing.db") + "?mode=ro";

        var found = await SqliteLogs.RunAsync("stats", "file:" + Db);
        var notFound = await SqliteLogs.RunAsync("stats", missing);

        found.ExitCode.Should().Be(0, found.Error);
        found.OutputLines.Should().Contain($"Database   {Db}").And.Contain($"Logs       {ToolDatabase.LogCount}");
        notFound.ExitCode.Should().Be(ExitCodes.DatabaseNotFound);
        notFound.ErrorLines.Should().ContainSingle().Which.Should()
            .StartWith($"sqlite-logs: error: There is no database file at '{missing}' ('{folder.File("missing.db")}').");
    }

    [Test]
    public async Task MetricsSummarizesEachMetricAsTheHelperDoes()
    {
        var result = await SqliteLogs.RunAsync("metrics", Db);

        result.ExitCode.Should().Be(0, result.Error);
        using var db = SqliteWorkerDatabase.Open(Db);
        foreach (var (name, count) in new[] { ("response_time", ToolDatabase.ResponseTimeCount), ("checkout_ms", ToolDatabase.CheckoutCount) })
        {
            var s = db.SummarizeMetric(new MetricFilter { Name = name });
            s.Count.Should().Be(count);
            var cells = new[] { name, Numbers.Count(s.Count), Numbers.Value(s.Minimum), Numbers.Value(s.Average), Numbers.Value(s.P50),
                Numbers.Value(s.P95), Numbers.Value(s.P99), Numbers.Value(s.Maximum) };
            result.OutputLines.Should().Contain(l => Cells(l).SequenceEqual(cells));
        }
    }

    [Test]
    public async Task MetricsPerBucketListsEachBucketAndDrawsSparklines()
    {
        var result = await SqliteLogs.RunAsync("metrics", Db, "response_time", "--bucket", "1h", "--utc");

        result.ExitCode.Should().Be(0, result.Error);
        using var db = SqliteWorkerDatabase.Open(Db);
        var buckets = db.SummarizeMetricPerBucket(new MetricFilter { Name = "response_time" }, MetricBucketSize.Hour);
        buckets.Should().HaveCountGreaterThanOrEqualTo(3);
        foreach (var bucket in buckets)
            result.OutputLines.Should().Contain(l => Cells(l).SequenceEqual(new[]
            {
                new TimeFormat(utc: true).FormatMinute(bucket.Start), Numbers.Count(bucket.Summary.Count), Numbers.Value(bucket.Summary.Minimum),
                Numbers.Value(bucket.Summary.Average), Numbers.Value(bucket.Summary.P50), Numbers.Value(bucket.Summary.P95),
                Numbers.Value(bucket.Summary.P99), Numbers.Value(bucket.Summary.Maximum),
            }));
        result.OutputLines.Should().ContainSingle(l => l.StartsWith("p50  ", StringComparison.Ordinal)).Which.Should().HaveLength(5 + buckets.Count);
        result.OutputLines.Should().ContainSingle(l => l.StartsWith("p95  ", StringComparison.Ordinal));
    }

    [Test]
    public async Task MetricsByPrefixListsOnlyThoseNames()
    {
        var result = await SqliteLogs.RunAsync("metrics", Db, "--prefix", "check");

        result.ExitCode.Should().Be(0, result.Error);
        result.Output.Should().Contain("checkout_ms").And.NotContain("response_time");
    }

    [Test]
    public async Task AMetricWithNoValuesIsAnErrorThatListsTheMetricsThereAre()
    {
        var byName = await SqliteLogs.RunAsync("metrics", Db, "response_tim");
        var byPrefix = await SqliteLogs.RunAsync("metrics", Db, "--prefix", "disk_");

        byName.ExitCode.Should().Be(ExitCodes.NoMatch).And.Be(5);
        byName.Output.Should().BeEmpty();
        byName.ErrorLines.Should().ContainSingle().Which.Should()
            .Be("sqlite-logs: error: There is no metric 'response_tim'. The metrics are: checkout_ms, response_time.");
        byPrefix.ExitCode.Should().Be(5);
        byPrefix.ErrorLines.Should().ContainSingle().Which.Should()
            .Be("sqlite-logs: error: No metric name starts with 'disk_'. The metrics are: checkout_ms, response_time.");
    }

    [Test]
    public async Task AMetricWithNoValuesInTheTimeRangeSaysSo()
    {
        var result = await SqliteLogs.RunAsync("metrics", Db, "checkout_ms", "--until", "4h", "--bucket", "1m");

        result.ExitCode.Should().Be(5);
        result.ErrorLines.Should().ContainSingle().Which.Should()
            .Be("sqlite-logs: error: There is no metric 'checkout_ms' in that time range. The database has no metric values in that time range.");
    }

    [Test]
    public async Task StatsGroupsTheThousandsOfEveryNumberTheRateIncluded()
    {
        using var folder = new TempFolder();
        var path = folder.File("busy.db");
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        // 3,001 events a quarter of a millisecond apart: 0.75 s, so 4,001.33 a second.
        SinkDatabase.Write(path, logger =>
        {
            for (var i = 0; i < 3001; i++)
                logger.Write(TestEvent.At(start.AddTicks(i * 2500L), LogEventLevel.Information, "Busy {N}", null, null, ("N", i)));
        });

        var result = await SqliteLogs.RunAsync("stats", path);

        result.ExitCode.Should().Be(0, result.Error);
        result.OutputLines.Should().Contain("Logs       3,001");
        result.OutputLines.Should().Contain("Rate       4,001.33 logs/s, 0 metrics/s");
        result.OutputLines.Should().ContainMatch("│ Information *│ *3,001 │*");
    }

    [TestCase("csv")]
    [TestCase("jsonl")]
    public async Task ExportWritesTheFilteredEventsToAFile(string format)
    {
        using var folder = new TempFolder();
        var file = folder.File("export." + format);
        var result = await SqliteLogs.RunAsync("export", Db, "--format", format, "--out", file, "--min-level", "Warning");

        result.ExitCode.Should().Be(0, result.Error);
        result.Output.Trim().Should().Be($"Exported 48 events to {file}");
        var lines = File.ReadAllLines(file);
        if (format == "csv")
        {
            lines[0].Should().StartWith("id,timestamp,level,");
            lines.Skip(1).Should().HaveCount(48).And.OnlyContain(l => l.Contains(",Warning,") || l.Contains(",Error,"));
        }
        else
        {
            lines.Should().HaveCount(48);
            lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("level").GetString()).Should().OnlyContain(l => l == "Warning" || l == "Error");
        }
    }

    [Test]
    public async Task BackupWritesAConsistentCopyAndRefusesToOverwrite()
    {
        using var folder = new TempFolder();
        var copy = folder.File("copy.db");

        var result = await SqliteLogs.RunAsync("backup", Db, copy);
        var again = await SqliteLogs.RunAsync("backup", Db, copy);

        result.ExitCode.Should().Be(0, result.Error);
        result.Output.Should().StartWith($"Backed up {Db} to {copy}");
        using (var db = SqliteWorkerDatabase.Open(copy))
            db.GetStatistics().Should().Match<DatabaseStatistics>(s => s.LogCount == ToolDatabase.LogCount && s.MetricCount == ToolDatabase.MetricCount);
        again.ExitCode.Should().Be(ExitCodes.Usage);
        again.ErrorLines.Should().ContainSingle().Which.Should().StartWith("sqlite-logs: error: ").And.Contain("already exists");
    }

    [Test]
    public async Task PruneDeletesTheOlderRowsAndADryRunOnlyCountsThem()
    {
        using var folder = new TempFolder();
        var path = folder.File("prune.db");
        var now = DateTimeOffset.UtcNow;
        SinkDatabase.Write(path, logger =>
        {
            for (var i = 0; i < 30; i++)
                logger.Write(TestEvent.At(now.AddDays(-40 - i), LogEventLevel.Information, "Old {N}", properties: ("N", i)));
            for (var i = 0; i < 20; i++)
                logger.Write(TestEvent.At(now.AddDays(-1 - i), LogEventLevel.Information, "Recent {N}", properties: ("N", i)));
            logger.Metric("kept", 1);
        });

        var dryRun = await SqliteLogs.RunAsync("prune", path, "--older-than", "30d", "--dry-run");
        var prune = await SqliteLogs.RunAsync("prune", path, "--older-than", "30d");

        dryRun.ExitCode.Should().Be(0, dryRun.Error);
        dryRun.Output.Should().StartWith("Would delete 30 log rows and 0 metric rows older than ");
        prune.ExitCode.Should().Be(0, prune.Error);
        prune.Output.Should().StartWith("Deleted 30 log rows and 0 metric rows older than ");
        using var db = SqliteWorkerDatabase.Open(path);
        db.GetLogs(limit: 1000).Should().HaveCount(20).And.OnlyContain(r => r.Message.StartsWith("Recent"));
    }

    /// <summary>The cells of a table row drawn with Spectre.Console's rounded border.</summary>
    static string[] Cells(string line) =>
        line.StartsWith('│') ? line.Trim('│').Split('│').Select(c => c.Trim()).ToArray() : [];
}
