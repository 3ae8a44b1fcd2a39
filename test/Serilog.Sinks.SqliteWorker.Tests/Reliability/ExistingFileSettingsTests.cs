using System.Data.SQLite;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// Settings that only a new file takes from the sink: a file that already has pages keeps its own, even its
/// auto-vacuum mode, which SQLite would let the sink change between full and incremental at any time.
/// </summary>
public class ExistingFileSettingsTests
{
    [TestCase(null)]
    [TestCase(1024L * 1024 * 1024)]
    public async Task AFileWithFullAutoVacuumKeepsItWhateverTheSizeLimit(long? maxDatabaseSize)
    {
        using var folder = new TempFolder();
        var path = folder.File("full.db");
        SQLiteConnection.CreateFile(path);
        Database.Query(path, "PRAGMA auto_vacuum = FULL; CREATE TABLE mine (x); INSERT INTO mine VALUES (1);");
        Database.Scalar(path, "PRAGMA auto_vacuum").Should().Be(1L, "1 is full");

        using (var sink = SinkFactory.Create(path, o => o.MaxDatabaseSize = maxDatabaseSize))
            await sink.EmitBatchAsync([Some.LogEvent("Written")]);

        Database.Count(path, "logs").Should().Be(1);
        Database.Scalar(path, "PRAGMA auto_vacuum").Should().Be(1L, "the file keeps the mode it was made with");
    }

    [TestCase(null, 0L)]
    [TestCase(1024L * 1024 * 1024, 2L)]
    public async Task AnEmptyFileIsMadeAsANewOneIs(long? maxDatabaseSize, long autoVacuum)
    {
        using var folder = new TempFolder();
        var path = folder.File("empty.db");
        // An empty file, as another program may create before the sink opens it: it has no pages yet.
        SQLiteConnection.CreateFile(path);

        using (var sink = SinkFactory.Create(path, o => o.MaxDatabaseSize = maxDatabaseSize))
            await sink.EmitBatchAsync([Some.LogEvent("Written")]);

        Database.Count(path, "logs").Should().Be(1);
        Database.Scalar(path, "PRAGMA auto_vacuum").Should().Be(autoVacuum, "0 is none, 2 is incremental, as for a file the sink creates");
    }
}
