using System.Data.SQLite;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Query.Tests;

/// <summary>The helper opens what the sink writes to: shared in-memory databases and <c>file:</c> URIs, not only paths.</summary>
public sealed class UriTests
{
    [TestCase("file:order-tests-{0}?mode=memory&cache=shared")]
    [TestCase("file:/order-tests-{0}?vfs=memdb")]
    public async Task ALoggerWritingToASharedInMemoryDatabaseCanBeCheckedThroughTheHelpersReports(string form)
    {
        var uri = string.Format(System.Globalization.CultureInfo.InvariantCulture, form, Guid.NewGuid().ToString("n"));
        // The database lives while a connection to it is open; the sink's own closes when the logger is disposed.
        using var keepAlive = new SQLiteConnection($"FullUri={uri}");
        keepAlive.Open();
        SinkDatabase.Write(uri, logger =>
        {
            logger.Information("Order {OrderId} placed", 42);
            logger.Information("Order {OrderId} placed", 43);
            logger.Error("Order {OrderId} failed", 44);
            logger.Metric("checkout_ms", 120, "ms");
        });

        using var db = SqliteWorkerDatabase.Open(uri);

        db.DatabasePath.Should().Be(uri);
        db.GetErrorsInLastHour().Should().ContainSingle().Which.Message.Should().Be("Order 44 failed");
        db.CountByLevel().Should().BeEquivalentTo(new[]
        {
            new { Key = LogEventLevel.Information, Count = 2L },
            new { Key = LogEventLevel.Error, Count = 1L },
        });
        db.GetLogs(new LogFilter { PropertyPath = "OrderId", PropertyValue = 43 }).Should().ContainSingle();
        db.SummarizeMetric(new MetricFilter { Name = "checkout_ms" }).Maximum.Should().Be(120);
        db.GetStatistics().LogCount.Should().Be(3);
        db.GetFileSize().FileBytes.Should().BeGreaterThan(0);
        using var export = new MemoryStream();
        (await db.ExportLogsAsync(export, ExportFormat.JsonLines)).Should().Be(3);
    }

    [Test]
    public void ASharedInMemoryDatabaseThatNoConnectionHoldsIsMissingAndNamedAsGiven()
    {
        var uri = $"file:nobody-{Guid.NewGuid():n}?mode=memory&cache=shared";

        var open = () => SqliteWorkerDatabase.Open(uri);

        open.Should().Throw<FileNotFoundException>().WithMessage($"*shared in-memory database '{uri}'*keep it open*");
    }

    [Test]
    public void APrivateInMemoryDatabaseIsAnArgumentExceptionThatPointsToASharedOne()
    {
        var open = () => SqliteWorkerDatabase.Open(":memory:");

        open.Should().Throw<ArgumentException>().WithMessage("*private in-memory database*mode=memory&cache=shared*");
    }

    [Test]
    public void AFileUriIsReadAsTheSinkWroteIt()
    {
        using var folder = new TempFolder();
        var uri = "file:" + folder.File("uri logs.db").Replace(" ", "%20", StringComparison.Ordinal) + "?cache=private";
        SinkDatabase.Write(uri, logger => logger.Warning("Disk {Disk} almost full", "C:"));

        using var db = SqliteWorkerDatabase.Open(uri);

        File.Exists(folder.File("uri logs.db")).Should().BeTrue("the URI's %20 is a space, for the sink as for the helper");
        db.DatabasePath.Should().Be(folder.File("uri logs.db"));
        db.GetLogs().Should().ContainSingle().Which.Message.Should().Be("Disk \"C:\" almost full");
    }

    [TestCase("")]
    [TestCase("?mode=rwc")]
    public void AFileUriToAMissingFileIsAnErrorNamingItAsGivenAndCreatesNothing(string query)
    {
        using var folder = new TempFolder();
        var uri = "file:" + folder.File("missing.db") + query;

        var open = () => SqliteWorkerDatabase.Open(uri);

        open.Should().Throw<FileNotFoundException>().WithMessage($"There is no database file at '{uri}' ('{folder.File("missing.db")}')*");
        Directory.EnumerateFileSystemEntries(folder.Path).Should().BeEmpty();
    }

    [Test]
    public void ARelativeUriIsNamedAsGivenNotAsAPathUnderTheCurrentFolder()
    {
        var open = () => SqliteWorkerDatabase.Open("file:no-such-folder/missing.db?mode=ro");

        var message = open.Should().Throw<FileNotFoundException>().Which.Message;
        message.Should().StartWith("There is no database file at 'file:no-such-folder/missing.db?mode=ro' ('" +
                                   Path.GetFullPath("no-such-folder/missing.db") + "')");
    }

    [Test]
    public void AUriNamingAnotherHostIsAnArgumentException()
    {
        var open = () => SqliteWorkerDatabase.Open("file://server/share/logs.db");

        open.Should().Throw<ArgumentException>().WithMessage("*host 'server'*local files only*");
    }

    [Test]
    public void AReaderOpenedThroughAFileUriCannotWriteEvenIfTheUriAsksTo()
    {
        using var folder = new TempFolder();
        var path = folder.File("readonly.db");
        SinkDatabase.Write(path, logger => logger.Information("Hello"));
        var before = File.ReadAllBytes(path);

        using (var db = SqliteWorkerDatabase.Open("file:" + path + "?mode=rwc"))
        {
            db.GetLogs().Should().ContainSingle();
            db.Backup(folder.File("copy.db"));
        }

        File.ReadAllBytes(path).Should().Equal(before);
    }
}
