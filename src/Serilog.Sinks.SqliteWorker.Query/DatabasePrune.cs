using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// Deletes rows older than a cutoff in short transactions, so that the sink, which needs the same write lock for each
/// batch, waits for one small chunk at a time rather than for the whole purge.
/// </summary>
static class DatabasePrune
{
    // Rows deleted per transaction: large enough to amortize the commit, small enough that a sink batch waits milliseconds.
    const int RowsPerTransaction = 5000;

    public static long DeleteOlderThan(DatabaseFile file, string table, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        using var connection = file.OpenForWriting();
        using var interrupt = QueryInterruption.Interrupts(connection, cancellationToken);
        try
        {
            var cutoffText = TimestampText.Format(cutoff);

            // The last row to look at is fixed first: rows the sink adds meanwhile are newer and never scanned.
            long lastId;
            using (var last = connection.CreateCommand())
            {
                last.CommandText = $"SELECT max(id) FROM {table} WHERE timestamp < @cutoff";
                last.Parameters.AddWithValue("@cutoff", cutoffText);
                if (last.ExecuteScalar() is not long id)
                    return 0;
                lastId = id;
            }

            using var delete = connection.CreateCommand();
            delete.CommandText =
                $"DELETE FROM {table} WHERE id IN " +
                $"(SELECT id FROM {table} WHERE id <= @lastId AND timestamp < @cutoff ORDER BY id LIMIT @rows)";
            delete.Parameters.AddWithValue("@lastId", lastId);
            delete.Parameters.AddWithValue("@cutoff", cutoffText);
            delete.Parameters.AddWithValue("@rows", RowsPerTransaction);

            long deleted = 0;
            int changed;
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Each statement is its own transaction: what was deleted before a cancellation stays deleted.
                changed = delete.ExecuteNonQuery();
                deleted += changed;
            }
            while (changed == RowsPerTransaction);

            return deleted;
        }
        catch (SQLiteException ex) when (QueryInterruption.WasInterrupted(ex, cancellationToken))
        {
            throw new OperationCanceledException("The prune was cancelled.", ex, cancellationToken);
        }
        catch (SQLiteException ex) when (ex.ResultCode is SQLiteErrorCode.ReadOnly or SQLiteErrorCode.CantOpen)
        {
            throw new UnauthorizedAccessException($"{file.Description} cannot be written to ({ex.Message}); pruning deletes rows.", ex);
        }
    }
}
