using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Query.Tests;

/// <summary>Mistakes in arguments are ArgumentExceptions that say what is wrong, thrown when the call is made.</summary>
public sealed class BadInputTests
{
    static SqliteWorkerDatabase Open() => SqliteWorkerDatabase.Open(SampleDatabase.Path);

    static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [TestCase(-1)]
    [TestCase(0)]
    public void ALimitBelowOneIsRejected(int limit)
    {
        using var db = Open();
        db.Invoking(d => d.GetLogs(limit: limit)).Should().Throw<ArgumentException>().WithMessage($"limit is {limit}; it must be at least 1.*");
        db.Invoking(d => d.GetMetrics(limit: limit)).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("limit");
        db.Invoking(d => d.CountByMessageTemplate(top: limit)).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("top");
        db.Invoking(d => d.GetTopExceptions(top: limit)).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("top");
    }

    [Test]
    public void SinceAfterUntilIsRejected()
    {
        using var db = Open();
        db.Invoking(d => d.GetLogs(new LogFilter { Since = Now, Until = Now.AddHours(-1) }))
            .Should().Throw<ArgumentException>().WithMessage("Since (*) is later than Until (*)*");
        db.Invoking(d => d.GetStatistics(Now, Now.AddHours(-1))).Should().Throw<ArgumentException>();
        db.Invoking(d => d.GetMetrics(new MetricFilter { Since = Now, Until = Now.AddHours(-1) })).Should().Throw<ArgumentException>();
    }

    [Test]
    public void AnUnknownLevelIsRejected()
    {
        using var db = Open();
        db.Invoking(d => d.GetLogs(new LogFilter { Level = (LogEventLevel)42 }))
            .Should().Throw<ArgumentException>().WithMessage("Level 42 is not a Serilog level; use one of Verbose, Debug, Information, Warning, Error, Fatal.*");
        db.Invoking(d => d.GetLogs(new LogFilter { MinimumLevel = (LogEventLevel)(-1) })).Should().Throw<ArgumentException>();
    }

    [Test]
    public void ConflictingFilterSettingsAreRejected()
    {
        using var db = Open();
        db.Invoking(d => d.GetLogs(new LogFilter { Level = LogEventLevel.Error, MinimumLevel = LogEventLevel.Warning }))
            .Should().Throw<ArgumentException>().WithMessage("Level and MinimumLevel are both set*");
        db.Invoking(d => d.GetLogs(new LogFilter { Within = TimeSpan.FromMinutes(5), Since = Now }))
            .Should().Throw<ArgumentException>().WithMessage("Within was given together with Since or Until*");
        db.Invoking(d => d.GetLogs(new LogFilter { Within = TimeSpan.Zero })).Should().Throw<ArgumentException>().WithMessage("Within is 00:00:00*");
        db.Invoking(d => d.GetMetrics(new MetricFilter { Name = "a", NamePrefix = "a" }))
            .Should().Throw<ArgumentException>().WithMessage("Name and NamePrefix are both set*");
    }

    [Test]
    public void EmptyTextFiltersAreRejected()
    {
        using var db = Open();
        db.Invoking(d => d.GetLogs(new LogFilter { SourceContext = "" })).Should().Throw<ArgumentException>().WithMessage("SourceContext is empty*");
        db.Invoking(d => d.GetLogs(new LogFilter { MessageContains = "" })).Should().Throw<ArgumentException>();
        db.Invoking(d => d.GetMetrics(new MetricFilter { NamePrefix = "" })).Should().Throw<ArgumentException>();
        db.Invoking(d => d.GetLogs(new LogFilter { TraceId = "not-a-trace" }))
            .Should().Throw<ArgumentException>().WithMessage("TraceId 'not-a-trace' is not a W3C trace id*");
    }

    [Test]
    public void PropertyFiltersAreChecked()
    {
        using var db = Open();
        db.Invoking(d => d.GetLogs(new LogFilter { PropertyValue = 5 })).Should().Throw<ArgumentException>().WithMessage("PropertyValue is set without PropertyPath*");
        db.Invoking(d => d.GetLogs(new LogFilter { PropertyPath = "Order.Id" }))
            .Should().Throw<ArgumentException>().WithMessage("*Write a path that starts with '$'*");
        db.Invoking(d => d.GetLogs(new LogFilter { PropertyPath = "$$", PropertyValue = 1 }))
            .Should().Throw<ArgumentException>().WithMessage("PropertyPath is not a JSON path SQLite accepts*");
        db.Invoking(d => d.GetLogs(new LogFilter { PropertyPath = "OrderId", PropertyValue = new object() }))
            .Should().Throw<ArgumentException>().WithMessage("PropertyValue has type System.Object*");
    }

    [Test]
    public void APropertyPathIsBoundNotSplicedIntoTheSql()
    {
        using var db = Open();
        // Bound as parameters these are odd property names that no row has; spliced into the SQL they would match every row.
        db.GetLogs(new LogFilter { PropertyPath = "UserId') IS NOT NULL OR 1=1 --" }).Should().BeEmpty();
        db.GetLogs(new LogFilter { PropertyPath = "$.\"x') OR 1=1 --\"", PropertyValue = "u-3" }).Should().BeEmpty();
    }

    [Test]
    public void SummariesNeedAMetricName()
    {
        using var db = Open();
        db.Invoking(d => d.SummarizeMetric(new MetricFilter { Within = TimeSpan.FromHours(1) }))
            .Should().Throw<ArgumentException>().WithMessage("The filter names no metric*");
        db.Invoking(d => d.SummarizeMetricPerBucket(new MetricFilter { Name = "a" }, (MetricBucketSize)7))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("bucketSize");
    }

    [Test]
    public void AnInvalidOrderIsRejected()
    {
        using var db = Open();
        db.Invoking(d => d.GetLogs(order: (ResultOrder)5)).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("order");
    }

    [Test]
    public void ATailIsCheckedWhenItIsAskedFor()
    {
        using var db = Open();
        db.Invoking(d => d.TailLogsAsync(pollInterval: TimeSpan.Zero)).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("pollInterval");
        db.Invoking(d => d.TailMetricsAsync(filter: new MetricFilter { Name = "" })).Should().Throw<ArgumentException>();
    }

    [Test]
    public void ExportArgumentsAreChecked()
    {
        using var db = Open();
        using var readOnly = new MemoryStream([], writable: false);
        // Thrown by the call itself, before any task is returned.
        FluentActions.Invoking(() => { _ = db.ExportLogsAsync(readOnly, ExportFormat.Csv); })
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("destination");
        FluentActions.Invoking(() => { _ = db.ExportMetricsAsync(new MemoryStream(), (ExportFormat)3); })
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("format");
    }

    [Test]
    public void ABackupNeverOverwritesAFile()
    {
        using var folder = new TempFolder();
        var existing = folder.File("existing.db");
        File.WriteAllText(existing, "keep me");
        using var db = Open();

        db.Invoking(d => d.Backup(existing)).Should().Throw<ArgumentException>().WithMessage($"'{existing}' already exists*");
        db.Invoking(d => d.Backup(SampleDatabase.Path)).Should().Throw<ArgumentException>()
            .WithMessage($"The backup path '{Path.GetFullPath(SampleDatabase.Path)}' is the database itself; give a new file.*");
        db.Invoking(d => d.Backup(" ")).Should().Throw<ArgumentException>()
            .WithMessage("The backup path is empty; give a new file name, such as \"logs-backup.db\".*");
        File.ReadAllText(existing).Should().Be("keep me");
    }

    [Test]
    public void ACancelledTokenCancelsABackupBeforeItWritesAFile()
    {
        using var folder = new TempFolder();
        var target = folder.File("backup.db");
        using var db = Open();

        db.Invoking(d => d.Backup(target, new CancellationToken(canceled: true))).Should().Throw<OperationCanceledException>();

        File.Exists(target).Should().BeFalse();
    }

    [Test]
    public void ACancelledTokenCancelsAReport()
    {
        using var db = Open();
        db.Invoking(d => d.GetStatistics(cancellationToken: new CancellationToken(canceled: true))).Should().Throw<OperationCanceledException>();
    }

    [Test]
    public void ADisposedDatabaseSaysSo()
    {
        var db = Open();
        db.Dispose();
        db.Invoking(d => d.GetLogs()).Should().Throw<ObjectDisposedException>();
    }
}
