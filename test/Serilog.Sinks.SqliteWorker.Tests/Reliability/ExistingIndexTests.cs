using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// An index a file already has on the columns of one of the sink's indexes, under another name (as an earlier release
/// named them, or as a user made it): it serves in place of the sink's own when it serves the same queries, that is
/// when it is on those plain columns in that order, whole and in the default collation; otherwise the sink adds its own.
/// </summary>
public class ExistingIndexTests
{
    [Test]
    public async Task AnIndexOnTheSameColumnsUnderAnotherNameServesAndNoSecondOneIsMade()
    {
        using var folder = new TempFolder();
        var path = await FileWhoseTimestampIndexIs(folder, "CREATE INDEX earlier_logs_by_time ON logs (timestamp)");
        var levelIndex = IndexesOfLogs(path).Single(ix => ix.Name == "ix_logs_level_timestamp");
        Database.Query(path, $"DROP INDEX ix_logs_level_timestamp; CREATE INDEX earlier_logs_by_level ON logs ({levelIndex.Columns})");

        await WriteOneEvent(path);

        IndexesOfLogs(path).Select(ix => ix.Name).Should().BeEquivalentTo(["earlier_logs_by_time", "earlier_logs_by_level"]);
    }

    [TestCase("CREATE INDEX mine ON logs (timestamp) WHERE level = 'Error'", TestName = "A partial index")]
    [TestCase("CREATE INDEX mine ON logs (timestamp COLLATE NOCASE)", TestName = "An index in another collation")]
    [TestCase("CREATE INDEX mine ON logs (substr(timestamp, 1, 10))", TestName = "An index on an expression")]
    [TestCase("CREATE INDEX mine ON logs (timestamp, level)", TestName = "An index with more columns")]
    [TestCase("CREATE INDEX mine ON logs (level COLLATE NOCASE, timestamp)", TestName = "An index whose first column is in another collation")]
    public async Task AnIndexThatDoesNotServeTheSameQueriesIsKeptAndTheSinksOwnIsAdded(string index)
    {
        using var folder = new TempFolder();
        var path = await FileWhoseTimestampIndexIs(folder, index);

        await WriteOneEvent(path);

        IndexesOfLogs(path).Select(ix => ix.Name).Should().BeEquivalentTo(["mine", "ix_logs_timestamp", "ix_logs_level_timestamp"]);
        Database.Count(path, "logs").Should().Be(2);
    }

    /// <summary>A file the sink made, whose index on the timestamp was replaced by <paramref name="index"/>.</summary>
    static async Task<string> FileWhoseTimestampIndexIs(TempFolder folder, string index)
    {
        var path = folder.File("indexed.db");
        await WriteOneEvent(path);
        IndexesOfLogs(path).Select(ix => ix.Name).Should().BeEquivalentTo(["ix_logs_timestamp", "ix_logs_level_timestamp"]);
        Database.Query(path, $"DROP INDEX ix_logs_timestamp; {index};");
        return path;
    }

    static async Task WriteOneEvent(string path)
    {
        using var sink = SinkFactory.Create(path);
        await sink.EmitBatchAsync([Some.LogEvent("Written")]);
    }

    /// <summary>The indexes of the logs table that SQLite did not make itself, with their columns, comma-separated.</summary>
    static List<(string Name, string Columns)> IndexesOfLogs(string path) =>
        Database.Query(path, """
                SELECT il.name AS name, group_concat(ix.name, ', ') AS columns
                FROM pragma_index_list('logs') AS il, pragma_index_info(il.name) AS ix
                WHERE il.origin = 'c' GROUP BY il.name
                """)
            .Select(r => ((string)r["name"]!, (string?)r["columns"] ?? ""))
            .ToList();
}
