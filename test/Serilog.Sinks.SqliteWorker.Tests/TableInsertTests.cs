using System.Data.SQLite;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>The writer's inserts, bound from the queue's segments on the provider's connection.</summary>
public class TableInsertTests
{
    [Test]
    public async Task AValueSqliteRefusesToBindFailsItsStatementAndTheSameStatementsWriteTheNextRows()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using (var sink = SinkFactory.Create(path))
            await sink.EmitBatchAsync([Some.LogEvent("Creates the schema", properties: [])]);

        using var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path }.ConnectionString);
        connection.Open();
        // SQLite refuses to bind text longer than this, so the refusal comes in the middle of binding a statement.
        connection.SetLimitOption(SQLiteLimitOpsEnum.SQLITE_LIMIT_LENGTH, 10_000);
        var logs = SinkSchema.Logs("logs", []);
        using var queue = new RowQueue(null, [], logs.Columns.Count);
        for (var i = 0; i < 9; i++)
            queue.Add(Some.LogEvent(i == 3 ? new string('x', 20_000) : $"Event {i}", properties: []));
        var batch = new RowBatch();
        queue.Take(9, batch);
        var rows = batch.Rows().ToList();

        using var insert = new TableInsert(connection, logs, rowsPerStatement: 4);
        var addingTheFirstFour = () =>
        {
            foreach (var (segment, row) in rows.Take(4))
                insert.Add(segment, row);
        };
        addingTheFirstFour.Should().Throw<SQLiteException>().Which.ResultCode.Should().Be(SQLiteErrorCode.TooBig);
        insert.Clear();
        // Four rows through the statement that failed, the last through the one-row statement.
        foreach (var (segment, row) in rows.Skip(4))
            insert.Add(segment, row);
        insert.Flush();

        Database.Query(connection, "SELECT message FROM logs WHERE message LIKE 'Event %' ORDER BY id").Select(r => (string)r["message"]!)
            .Should().Equal(Enumerable.Range(4, 5).Select(i => $"Event {i}"));
    }
}
