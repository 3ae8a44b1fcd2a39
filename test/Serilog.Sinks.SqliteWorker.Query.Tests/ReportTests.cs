using System.Globalization;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Query.Tests;

/// <summary>Each report against the same question asked of the same file in plain SQL by the sqlite3 client.</summary>
[Category(Needs.Sqlite3Client)]
public sealed class ReportTests
{
    static string Path => SampleDatabase.Path;

    static DateTimeOffset Now => SampleDatabase.WrittenAt;

    static string[][] Sqlite3(string sql) => Sqlite3Client.Run(Path, sql).Select(line => line.Split('|')).ToArray();

    static double D(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    static long L(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    [Test]
    public void MetricsByNameMatchSqlite3()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var since = Now.AddHours(-2);
        var metrics = db.GetMetrics(new MetricFilter { Name = "db_query", Since = since }, 1000);

        var expected = Sqlite3("SELECT id, metric_name, value, unit FROM metrics " +
                               $"WHERE metric_name = 'db_query' AND timestamp >= {Sqlite3Client.Literal(since)} ORDER BY timestamp DESC, id DESC;");
        metrics.Select(m => (m.Id, m.Name, m.Value, m.Unit)).Should().Equal(expected.Select(r => (L(r[0]), r[1], D(r[2]), (string?)r[3])));
        metrics.Should().NotBeEmpty();
    }

    [Test]
    public void MetricsByNamePrefixMatchSqlite3()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var ids = db.GetMetrics(new MetricFilter { NamePrefix = "operation_duration_" }, 1000, ResultOrder.OldestFirst).Select(m => m.Id);

        var expected = Sqlite3("SELECT id FROM metrics WHERE substr(metric_name, 1, 19) = 'operation_duration_' ORDER BY timestamp, id;");
        ids.Should().Equal(expected.Select(r => L(r[0]))).And.HaveCount(80);
    }

    [Test]
    public void StatisticsMatchSqlite3()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var statistics = db.GetStatistics();

        var totals = Sqlite3("SELECT (SELECT count(*) FROM logs), (SELECT count(*) FROM metrics), " +
                             "(SELECT min(t) FROM (SELECT timestamp AS t FROM logs UNION ALL SELECT timestamp FROM metrics)), " +
                             "(SELECT max(t) FROM (SELECT timestamp AS t FROM logs UNION ALL SELECT timestamp FROM metrics));").Single();
        statistics.LogCount.Should().Be(L(totals[0])).And.Be(SampleDatabase.LogCount);
        statistics.MetricCount.Should().Be(L(totals[1])).And.Be(SampleDatabase.MetricCount);
        statistics.FirstTimestamp.Should().Be(Parse(totals[2]));
        statistics.LastTimestamp.Should().Be(Parse(totals[3]));
        var seconds = (statistics.LastTimestamp!.Value - statistics.FirstTimestamp!.Value).TotalSeconds;
        statistics.LogsPerSecond.Should().BeApproximately(statistics.LogCount / seconds, 1e-9);
        statistics.MetricsPerSecond.Should().BeApproximately(statistics.MetricCount / seconds, 1e-9);

        ShouldMatch(statistics.ByLevel, Sqlite3(GroupSql("level")), k => k.ToString());
        ShouldMatch(statistics.ByThread, Sqlite3(GroupSql("thread_id")), k => k?.ToString(CultureInfo.InvariantCulture) ?? "");
        ShouldMatch(statistics.BySourceContext, Sqlite3(GroupSql("source_context")), k => k ?? "");
    }

    [Test]
    public void StatisticsOverATimeRangeMatchSqlite3()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var since = Now.AddHours(-2);
        var until = Now.AddHours(-1);
        var statistics = db.GetStatistics(since, until);

        var range = $"timestamp >= {Sqlite3Client.Literal(since)} AND timestamp < {Sqlite3Client.Literal(until)}";
        statistics.LogCount.Should().Be(L(Sqlite3Client.Scalar(Path, $"SELECT count(*) FROM logs WHERE {range};")));
        statistics.MetricCount.Should().Be(L(Sqlite3Client.Scalar(Path, $"SELECT count(*) FROM metrics WHERE {range};")));
        ShouldMatch(statistics.ByLevel, Sqlite3(GroupSql("level", "WHERE " + range)), k => k.ToString());
        statistics.LogCount.Should().BeInRange(1, SampleDatabase.LogCount - 1);
    }

    [Test]
    public void CountsByLevelThreadAndSourceContextAcceptAFilter()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var filter = new LogFilter { MinimumLevel = LogEventLevel.Warning };
        const string where = "WHERE level IN ('Warning', 'Error', 'Fatal')";
        ShouldMatch(db.CountByLevel(filter), Sqlite3(GroupSql("level", where)), k => k.ToString());
        ShouldMatch(db.CountByThread(filter), Sqlite3(GroupSql("thread_id", where)), k => k?.ToString(CultureInfo.InvariantCulture) ?? "");
        ShouldMatch(db.CountBySourceContext(filter), Sqlite3(GroupSql("source_context", where)), k => k ?? "");
    }

    [Test]
    public void MessageTemplateCountsMatchSqlite3()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        ShouldMatch(db.CountByMessageTemplate(top: 3), Sqlite3(GroupSql("message_template") + " LIMIT 3"), k => k);
    }

    [Test]
    public void TopExceptionsMatchSqlite3()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var groups = db.GetTopExceptions();

        var expected = Sqlite3(
            "SELECT rtrim(substr(exception, 1, instr(exception || char(10), char(10)) - 1), char(13)) AS first_line, count(*) AS n, " +
            "max(timestamp) FROM logs WHERE exception IS NOT NULL GROUP BY first_line ORDER BY n DESC, first_line LIMIT 10;");
        groups.Select(g => (g.FirstLine, g.Count, g.LastSeen)).Should().Equal(expected.Select(r => (r[0], L(r[1]), Parse(r[2]))));
        groups.Should().Contain(g => g.Type == "System.TimeoutException" && g.FirstLine == "System.TimeoutException: The operation has timed out.");
        groups.Should().Contain(g => g.FirstLine == "System.ArgumentException: Quantity must be positive.");
        groups.Sum(g => g.Count).Should().Be(90);
    }

    [Test]
    public void MetricSummaryMatchesSqlite3()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var since = Now.AddHours(-3);
        var summary = db.SummarizeMetric(new MetricFilter { Name = "response_time", Since = since });

        var where = $"metric_name = 'response_time' AND timestamp >= {Sqlite3Client.Literal(since)}";
        var aggregates = Sqlite3($"SELECT count(*), min(value), max(value), avg(value) FROM metrics WHERE {where};").Single();
        var n = L(aggregates[0]);
        summary.Count.Should().Be(n).And.BeGreaterThan(100);
        summary.Minimum.Should().Be(D(aggregates[1]));
        summary.Maximum.Should().Be(D(aggregates[2]));
        summary.Average.Should().BeApproximately(D(aggregates[3]), 1e-9);
        summary.P50.Should().Be(NearestRank(where, n, 50));
        summary.P95.Should().Be(NearestRank(where, n, 95));
        summary.P99.Should().Be(NearestRank(where, n, 99));
    }

    [Test]
    public void AMetricWithoutValuesHasAnEmptySummary()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        db.SummarizeMetric(new MetricFilter { Name = "no_such_metric" }).Should().Be(new MetricSummary { Count = 0 });
    }

    [Test]
    public void PerBucketSummariesMatchSqlite3([Values] MetricBucketSize size)
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var buckets = db.SummarizeMetricPerBucket(new MetricFilter { Name = "response_time" }, size);

        var length = size == MetricBucketSize.Minute ? 16 : 13;
        var expected = Sqlite3($"SELECT substr(timestamp, 1, {length}) AS b, count(*), min(value), max(value), avg(value) " +
                               "FROM metrics WHERE metric_name = 'response_time' GROUP BY b ORDER BY b;");
        buckets.Should().HaveCount(expected.Length).And.HaveCountGreaterThan(2);
        foreach (var (bucket, row) in buckets.Zip(expected))
        {
            var start = bucket.Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            start.Should().StartWith(row[0]).And.EndWith(size == MetricBucketSize.Minute ? ":00" : ":00:00");
            bucket.Summary.Count.Should().Be(L(row[1]));
            bucket.Summary.Minimum.Should().Be(D(row[2]));
            bucket.Summary.Maximum.Should().Be(D(row[3]));
            bucket.Summary.Average.Should().BeApproximately(D(row[4]), 1e-9);
            var where = $"metric_name = 'response_time' AND substr(timestamp, 1, {length}) = '{row[0]}'";
            bucket.Summary.P50.Should().Be(NearestRank(where, L(row[1]), 50));
            bucket.Summary.P95.Should().Be(NearestRank(where, L(row[1]), 95));
        }
    }

    [Test]
    public void ErrorsInTheLastHourThroughGetLogsMatchTheSqlQuery()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var errors = db.GetLogs(new LogFilter { Level = LogEventLevel.Error, Within = TimeSpan.FromHours(1) }, limit: 1000);
        var errorsAndWorse = db.GetLogs(new LogFilter { MinimumLevel = LogEventLevel.Error, Within = TimeSpan.FromHours(1) }, limit: 1000);

        var expected = Sqlite3("SELECT id FROM logs WHERE level = 'Error' AND timestamp >= datetime('now', '-1 hour') " +
                               "ORDER BY timestamp DESC, id DESC;");
        errors.Select(e => e.Id).Should().Equal(expected.Select(r => L(r[0]))).And.NotBeEmpty();
        var expectedWithFatal = Sqlite3("SELECT id FROM logs WHERE level IN ('Error', 'Fatal') AND timestamp >= datetime('now', '-1 hour') " +
                                        "ORDER BY timestamp DESC, id DESC;");
        errorsAndWorse.Select(e => e.Id).Should().Equal(expectedWithFatal.Select(r => L(r[0])));
        errorsAndWorse.Should().Contain(e => e.Level == LogEventLevel.Fatal);
    }

    [Test]
    public void AverageResponseTimeThroughSummarizeMetricMatchesTheSqlQuery()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var average = db.SummarizeMetric(new MetricFilter { Name = "response_time", Within = TimeSpan.FromHours(1) }).Average;

        var expected = Sqlite3Client.Scalar(Path,
            "SELECT avg(value) FROM metrics WHERE metric_name = 'response_time' AND timestamp >= datetime('now', '-1 hour');");
        average.Should().BeApproximately(D(expected), 1e-9);
        db.SummarizeMetric(new MetricFilter { Name = "no_such_metric", Within = TimeSpan.FromHours(1) }).Average.Should().BeNull();
    }

    [Test]
    public void LogsByThreadThroughCountByThreadMatchTheSqlQuery()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var expected = Sqlite3("SELECT thread_id, COUNT(*) as log_count FROM logs GROUP BY thread_id ORDER BY log_count DESC, thread_id;");
        db.CountByThread().Select(g => (g.Key, g.Count)).Should().Equal(expected.Select(r => ((long?)L(r[0]), L(r[1]))));
    }

    [Test]
    public void SlowestOperationsThroughCountByMetricNameAndSummarizeMetricMatchTheSqlQuery()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var slowest = db.CountByMetricName(new MetricFilter { NamePrefix = "operation_duration_" })
            .Select(name => (Name: name.Key, Summary: db.SummarizeMetric(new MetricFilter { Name = name.Key })))
            .OrderByDescending(s => s.Summary.Maximum).ThenBy(s => s.Name, StringComparer.Ordinal)
            .Take(3)
            .ToList();

        var expected = Sqlite3("SELECT metric_name, MAX(value) as max_duration, count(*) FROM metrics " +
                               "WHERE metric_name LIKE 'operation_duration_%' GROUP BY metric_name ORDER BY max_duration DESC, metric_name LIMIT 3;");
        slowest.Select(s => (s.Name, s.Summary.Maximum, s.Summary.Count)).Should().Equal(expected.Select(r => (r[0], (double?)D(r[1]), L(r[2]))));
        slowest.Should().HaveCount(3);
    }

    static double NearestRank(string where, long n, int percent) =>
        D(Sqlite3Client.Scalar(Path, $"SELECT value FROM metrics WHERE {where} ORDER BY value LIMIT 1 OFFSET {(n * percent + 99) / 100 - 1};"));

    static string GroupSql(string column, string where = "") =>
        $"SELECT {column} AS k, count(*) AS n, count(*) * 100.0 / (SELECT count(*) FROM logs {where}) FROM logs {where} " +
        "GROUP BY k ORDER BY n DESC, k";

    static void ShouldMatch<TKey>(IReadOnlyList<GroupCount<TKey>> groups, string[][] expected, Func<TKey, string> key)
    {
        groups.Select(g => (key(g.Key), g.Count)).Should().Equal(expected.Select(r => (r[0], L(r[1]))));
        groups.Select(g => g.Percentage).Should().Equal(expected.Select(r => D(r[2])), (a, b) => Math.Abs(a - b) < 1e-9);
        groups.Should().NotBeEmpty();
    }

    static DateTimeOffset Parse(string stored) =>
        DateTimeOffset.ParseExact(stored, "yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
