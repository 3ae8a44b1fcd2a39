using System.Data.SQLite;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Query.Tests;

/// <summary>
/// The common filters must be answered from an index, whatever the size of the file. This asks SQLite's planner
/// (EXPLAIN QUERY PLAN) about the exact statements the helper runs, with their parameters bound, on a file the sink made.
/// </summary>
public sealed class IndexUseTests
{
    static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Test]
    public void LevelAndTimeAreAnsweredFromTheLevelTimestampIndexInOrder()
    {
        var plan = LogPlan(new LogFilter { Level = LogEventLevel.Error, Since = Now.AddHours(-1), Until = Now });
        plan.Should().Contain("SEARCH logs USING INDEX ix_logs_level_timestamp (level=? AND timestamp>? AND timestamp<?)");
        plan.Should().NotContain("TEMP B-TREE", "the index already gives the rows newest first");
    }

    [Test]
    public void MinimumLevelAndTimeAreAnsweredFromAnIndex()
    {
        var plan = LogPlan(new LogFilter { MinimumLevel = LogEventLevel.Warning, Within = TimeSpan.FromMinutes(15) });
        plan.Should().MatchRegex(@"SEARCH logs USING INDEX ix_logs_(level_)?timestamp \(");
        plan.Should().NotMatchRegex(@"SCAN logs(?! USING)");
    }

    [Test]
    public void ATimeRangeIsAnsweredFromTheTimestampIndexInOrder()
    {
        var plan = LogPlan(new LogFilter { Since = Now.AddHours(-2), Until = Now.AddHours(-1) });
        plan.Should().Contain("SEARCH logs USING INDEX ix_logs_timestamp (timestamp>? AND timestamp<?)");
        plan.Should().NotContain("TEMP B-TREE");
    }

    [Test]
    public void TheNextPageStartsFromTheIndexInsteadOfSkippingRows()
    {
        var plan = LogPlan(new LogFilter { Level = LogEventLevel.Error }, new RowPosition(Now.AddMinutes(-5), 1234));
        plan.Should().Contain("SEARCH logs USING INDEX ix_logs_level_timestamp (level=? AND timestamp<?)");
    }

    [Test]
    public void OtherFiltersWithATimeRangeStillUseTheTimestampIndex()
    {
        var plan = LogPlan(new LogFilter { Within = TimeSpan.FromHours(1), SourceContext = "A", PropertyPath = "OrderId", PropertyValue = 5 });
        plan.Should().Contain("USING INDEX ix_logs_timestamp (timestamp>?)");
    }

    [Test]
    public void AMetricNameAndTimeAreAnsweredFromTheNameTimestampIndexInOrder()
    {
        var plan = MetricPlan(new MetricFilter { Name = "response_time", Since = Now.AddHours(-1), Until = Now });
        plan.Should().Contain("SEARCH metrics USING INDEX ix_metrics_metric_name_timestamp (metric_name=? AND timestamp>? AND timestamp<?)");
        plan.Should().NotContain("TEMP B-TREE");
    }

    [Test]
    public void AMetricNamePrefixIsAnIndexRange()
    {
        var plan = MetricPlan(new MetricFilter { NamePrefix = "operation_duration_", Since = Now.AddHours(-1) });
        plan.Should().Contain("SEARCH metrics USING INDEX ix_metrics_metric_name_timestamp (metric_name>? AND metric_name<?)");
    }

    [Test]
    public void AMetricSummaryReadsOnlyTheWindowFromTheIndex()
    {
        var plan = Plan(sql => sql.Metrics.Summary(sql.MetricWhere(new MetricFilter { Name = "response_time", Within = TimeSpan.FromHours(1) }), "0"));
        plan.Should().Contain("SEARCH metrics USING INDEX ix_metrics_metric_name_timestamp (metric_name=? AND timestamp>?)");
    }

    [Test]
    public void CountingByLevelReadsTheLevelIndexRatherThanTheTable()
    {
        var plan = Plan(sql => sql.Logs.CountBy("level", sql.LogWhere(null), "-1"));
        plan.Should().Contain("SCAN logs USING COVERING INDEX ix_logs_level_timestamp");
    }

    [Test]
    public void TheTailSeeksByRowId()
    {
        var plan = Plan(sql =>
        {
            var where = sql.LogWhere(null);
            return sql.Logs.AfterId(where, where.Bind(10L), where.Bind(500));
        });
        plan.Should().Contain("SEARCH logs USING INTEGER PRIMARY KEY (rowid>?)");
    }

    static string LogPlan(LogFilter filter, RowPosition? after = null) => Plan(sql =>
    {
        var where = sql.LogWhere(filter);
        if (after is { } position)
            LogSql.AddPosition(where, ResultOrder.NewestFirst, position);
        return sql.Logs.Select(where, ResultOrder.NewestFirst, where.Bind(100));
    });

    static string MetricPlan(MetricFilter filter) => Plan(sql =>
    {
        var where = sql.MetricWhere(filter);
        return sql.Metrics.Select(where, ResultOrder.NewestFirst, where.Bind(100));
    });

    /// <summary>Builds a statement as the helper does and returns SQLite's plan for it, one step per line.</summary>
    static string Plan(Func<Statements, string> build)
    {
        using var folder = new TempFolder();
        var path = folder.File("plan.db");
        SinkDatabase.Write(path, logger => logger.Information("One event, so that the sink makes its tables"));

        var statements = new Statements();
        var sql = build(statements);
        using var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, ReadOnly = true }.ConnectionString);
        connection.Open();
        using var command = SqliteWorkerDatabase.Command(connection, "EXPLAIN QUERY PLAN " + sql, statements.Where!);
        using var reader = command.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read())
            steps.Add(reader.GetString(3));
        return string.Join("\n", steps);
    }

    sealed class Statements
    {
        public LogSql Logs { get; } = new("logs");
        public MetricSql Metrics { get; } = new("metrics");
        public SqlWhere? Where { get; private set; }

        public SqlWhere LogWhere(LogFilter? filter) => Where = Logs.Where(filter, Now);

        public SqlWhere MetricWhere(MetricFilter? filter) => Where = Metrics.Where(filter, Now);
    }
}
