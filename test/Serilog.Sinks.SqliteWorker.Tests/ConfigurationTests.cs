using Serilog.Configuration;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

public class ConfigurationTests
{
    static Action Configure(Func<LoggerSinkConfiguration, LoggerConfiguration> writeTo) =>
        () => writeTo(new LoggerConfiguration().WriteTo).CreateLogger().Dispose();

    [TestCase("")]
    [TestCase("1logs")]
    [TestCase("logs; DROP TABLE logs")]
    [TestCase("logs\"")]
    [TestCase("my-logs")]
    [TestCase("sqlite_master")]
    [TestCase("журнал")]
    public void AnInvalidTableNameIsRefusedWithAnExample(string name)
    {
        Configure(wt => wt.SqliteWorker("logs.db", logsTableName: name)).Should().Throw<ArgumentException>()
            .WithMessage("*not a valid SQLite table name for logsTableName*for example*")
            .Which.ParamName.Should().Be("logsTableName");
        Configure(wt => wt.SqliteWorker("logs.db", metricsTableName: name)).Should().Throw<ArgumentException>()
            .Which.ParamName.Should().Be("metricsTableName");
    }

    [Test]
    public void TheSameNameForLogsAndMetricsIsRefused() =>
        Configure(wt => wt.SqliteWorker("logs.db", logsTableName: "events", metricsTableName: "Events"))
            .Should().Throw<ArgumentException>().WithMessage("*both 'events'*different names*");

    [TestCase(0)]
    [TestCase(-5)]
    public void ABatchSizeBelowOneIsRefused(int size) =>
        Configure(wt => wt.SqliteWorker("logs.db", batchSizeLimit: size))
            .Should().Throw<ArgumentException>().WithMessage($"batchSizeLimit is {size}; it must be at least 1*");

    [Test]
    public void AQueueLimitBelowOneIsRefused() =>
        Configure(wt => wt.SqliteWorker("logs.db", queueLimit: 0))
            .Should().Throw<ArgumentException>().WithMessage("queueLimit is 0; it must be at least 1*");

    [Test]
    public void AnUnboundedQueueIsRefused() =>
        Configure(wt => wt.SqliteWorker(new SqliteWorkerSinkOptions { DatabasePath = "logs.db" }, new BatchingOptions { QueueLimit = null }))
            .Should().Throw<ArgumentException>().WithMessage("queueLimit is null*without bound*");

    [Test]
    public void ANonPositiveBufferingTimeIsRefused() =>
        Configure(wt => wt.SqliteWorker("logs.db", bufferingTimeLimit: TimeSpan.Zero))
            .Should().Throw<ArgumentException>().WithMessage("bufferingTimeLimit is 00:00:00; it must be positive*");

    [Test]
    public void ANegativeRetryTimeLimitIsRefused() =>
        Configure(wt => wt.SqliteWorker(new SqliteWorkerSinkOptions { DatabasePath = "logs.db" },
                new BatchingOptions { RetryTimeLimit = TimeSpan.FromSeconds(-1) }))
            .Should().Throw<ArgumentException>().WithMessage("retryTimeLimit is -00:00:01; it must be zero (no retries) or more*");

    [Test]
    public void ANegativeBusyTimeoutIsRefused() =>
        Configure(wt => wt.SqliteWorker("logs.db", busyTimeout: TimeSpan.FromSeconds(-1)))
            .Should().Throw<ArgumentException>().WithMessage("busyTimeout is -00:00:01*");

    [TestCase("")]
    [TestCase("   ")]
    public void AnEmptyPathIsRefused(string path) =>
        Configure(wt => wt.SqliteWorker(path)).Should().Throw<ArgumentException>().WithMessage("The database path is empty*");

    [Test]
    public void APathThatNamesAFolderIsRefused() =>
        Configure(wt => wt.SqliteWorker("logs/")).Should().Throw<ArgumentException>().WithMessage("*names a folder*logs.db*");

    [Test]
    public void APathThatNamesAnExistingDirectoryIsRefused()
    {
        using var folder = new TempFolder();
        Configure(wt => wt.SqliteWorker(folder.Path)).Should().Throw<ArgumentException>()
            .WithMessage($"*'{folder.Path}' names a directory*{Path.Combine(folder.Path, "logs.db")}*")
            .Which.ParamName.Should().Be("databasePath");
        Directory.EnumerateFileSystemEntries(folder.Path).Should().BeEmpty();
    }

    [Test]
    public void APathThatNamesADeviceIsRefused()
    {
        if (!File.Exists("/dev/null"))
            Assert.Ignore("This test needs /dev/null, which only Unix has.");

        Configure(wt => wt.SqliteWorker("/dev/null")).Should().Throw<ArgumentException>()
            .WithMessage("*'/dev/null' names a device, pipe or socket, not a file*logs.db*");
        File.Exists("/dev/null-wal").Should().BeFalse();
    }

    // Opening a named pipe would block the writer for good, so it must be refused without being opened.
    [Test]
    public void APathThatNamesANamedPipeIsRefused()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Ignore("This test makes a named pipe with mkfifo, which needs Linux.");
        using var folder = new TempFolder();
        var path = folder.File("pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]))
            mkfifo.WaitForExit();

        Configure(wt => wt.SqliteWorker(path)).Should().Throw<ArgumentException>().WithMessage("*names a device, pipe or socket*");
    }

    [TestCase("logs.db")]
    [TestCase("sub/logs.db")]
    public void APathThroughAFileIsRefused(string below)
    {
        using var folder = new TempFolder();
        var file = folder.File("notes.txt");
        File.WriteAllText(file, "not a folder");

        Configure(wt => wt.SqliteWorker(Path.Combine(file, below))).Should().Throw<ArgumentException>()
            .WithMessage($"*goes through '{file}', which is a file, not a folder*{folder.File("logs.db")}*");
        File.ReadAllText(file).Should().Be("not a folder");
    }

    [Test]
    public void AUriNamingAnotherHostIsRefused() =>
        Configure(wt => wt.SqliteWorker("file://server/share/logs.db")).Should().Throw<ArgumentException>()
            .WithMessage("*host 'server'*local files only*");

    [Test]
    public void AnUndefinedSynchronousModeIsRefused() =>
        Configure(wt => wt.SqliteWorker("logs.db", synchronous: (SqliteSynchronousMode)7))
            .Should().Throw<ArgumentException>().WithMessage("synchronous is 7*");

    [Test]
    public void ARelativePathIsResolvedAgainstTheCurrentDirectoryAtConfiguration()
    {
        using var folder = new TempFolder();
        var previous = Environment.CurrentDirectory;
        Serilog.Core.Logger logger;
        try
        {
            Environment.CurrentDirectory = folder.Path;
            logger = new LoggerConfiguration().WriteTo.SqliteWorker(Path.Combine("sub", "relative.db")).CreateLogger();
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }

        using (logger)
            logger.Information("Where am I?");

        Database.Count(Path.Combine(folder.Path, "sub", "relative.db"), "logs").Should().Be(1);
    }
}
