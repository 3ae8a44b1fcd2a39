using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Writes a batch that failed as a whole one row at a time, in one transaction, each row under a savepoint: a row the
/// database refuses is rolled back alone and set aside, so one bad event costs only itself, and is never retried.
/// </summary>
static class RowByRowFallback
{
    /// <param name="connection">An open connection with no transaction.</param>
    /// <param name="batch">The rows.</param>
    /// <param name="writeRow">Writes one row; true when it went to the metrics table.</param>
    /// <returns>The rows written to each table, and the rows refused with the reason for each.</returns>
    /// <exception cref="Exception">Anything that is not the fault of one row (a lock, a full disk, every row
    /// failing alike): the transaction is rolled back and nothing of the batch is written.</exception>
    public static (int Logs, int Metrics, List<(T Row, Exception Error)> Refused) Write<T>(
        SQLiteConnection connection, IReadOnlyList<T> batch, Func<T, bool> writeRow)
    {
        int logs = 0, metrics = 0;
        var refused = new List<(T, Exception)>();
        using var transaction = connection.BeginTransaction();
        using var savepoint = connection.CreateCommand();
        foreach (var row in batch)
        {
            Execute(savepoint, "SAVEPOINT sqliteworker_row");
            try
            {
                if (writeRow(row))
                    metrics++;
                else
                    logs++;
            }
            catch (Exception ex) when (WriteFailure.MayComeFromAnEvent(ex))
            {
                Execute(savepoint, "ROLLBACK TO sqliteworker_row");
                refused.Add((row, ex));
            }

            Execute(savepoint, "RELEASE sqliteworker_row");
        }

        // When no row at all could be written, the cause is not in the rows; let the batch be retried whole.
        if (batch.Count > 1 && refused.Count == batch.Count)
            throw new InvalidOperationException($"Every one of the {batch.Count} rows failed alike: {refused[0].Item2.Message}",
                refused[0].Item2);

        transaction.Commit();
        return (logs, metrics, refused);
    }

    static void Execute(SQLiteCommand command, string sql)
    {
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
