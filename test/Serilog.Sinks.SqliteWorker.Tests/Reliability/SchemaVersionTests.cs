using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// The schema version the sink keeps in <c>PRAGMA user_version</c>: raised for a file from an older version, never
/// lowered for a file a newer version of the sink has written.
/// </summary>
[Category(Needs.Sqlite3Client)]
public class SchemaVersionTests
{
    [Test]
    public void AFileFromANewerVersionOfTheSinkNeverHasItsSchemaVersionLowered()
    {
        using var folder = new TempFolder();
        var path = folder.File("newer.db");
        using (var first = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            first.Information("Written by this version");
        var newer = SinkSchema.Version + 5;
        Sqlite3Client.Run(path, $"PRAGMA user_version = {newer};");
        var failures = new FailureCollector();

        using (var logger = new LoggerConfiguration().WriteTo.Fallible(wt => wt.SqliteWorker(path), failures).CreateLogger())
            logger.Information("Written by an older sink than the file's");

        // Whether this version writes to the newer file or refuses it, the number that says what the file holds stays.
        Sqlite3Client.Scalar(path, "PRAGMA user_version;").Should().Be(newer.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Database.Count(path, "logs").Should().BeGreaterThanOrEqualTo(1, "the rows already there are kept either way");
    }

    [Test]
    public void AFileFromAnOlderVersionIsRaisedToThisVersion()
    {
        using var folder = new TempFolder();
        var path = folder.File("older.db");
        using (var first = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            first.Information("Written before");
        Sqlite3Client.Run(path, "PRAGMA user_version = 0;");

        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            logger.Information("Written after");

        Database.Scalar(path, "PRAGMA user_version").Should().Be((long)SinkSchema.Version);
        Database.Count(path, "logs").Should().Be(2);
    }
}
