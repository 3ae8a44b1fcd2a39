using System.Data.SQLite;
using System.Runtime.CompilerServices;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// Follows a table by row id. The sink only appends, and SQLite gives each committed row a larger id than any row
/// before it, so "id greater than the last one seen" never misses a committed row.
/// </summary>
static class RowTail
{
    // Rows read per statement; when a poll finds a full page there are probably more, so the next one follows at once.
    const int PageSize = 500;

    public static async IAsyncEnumerable<T> Read<T>(
        DatabaseFile file,
        long afterId,
        TimeSpan pollInterval,
        Func<SQLiteDataReader, T> readRow,
        Func<T, long> idOf,
        Func<SqlWhere, string, string, string> buildSql,
        Func<DateTimeOffset, SqlWhere> buildWhere,
        string lastIdSql,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var connection = file.Open();
        var page = new List<T>(PageSize);
        while (!cancellationToken.IsCancellationRequested)
        {
            page.Clear();
            if (TryReadPage(connection, afterId, readRow, buildSql, buildWhere, lastIdSql, page, cancellationToken) is not { } lastId)
                yield break;

            foreach (var row in page)
            {
                afterId = idOf(row);
                yield return row;
            }

            // A short page means every row up to the last id has been looked at: the next poll starts there, so that rows
            // the filter passed over are not read again on every poll.
            if (page.Count < PageSize)
                afterId = Math.Max(afterId, lastId);

            if (page.Count < PageSize && !await Delay(pollInterval, cancellationToken).ConfigureAwait(false))
                yield break;
        }
    }

    /// <summary>
    /// Reads the matching rows after <paramref name="afterId"/> up to the last id committed now, and returns that id;
    /// null when cancelled. A row committed after the last id is read gets a larger id, so the next poll finds it.
    /// </summary>
    static long? TryReadPage<T>(SQLiteConnection connection, long afterId, Func<SQLiteDataReader, T> readRow,
        Func<SqlWhere, string, string, string> buildSql, Func<DateTimeOffset, SqlWhere> buildWhere, string lastIdSql, List<T> page,
        CancellationToken cancellationToken)
    {
        using var interrupt = QueryInterruption.Interrupts(connection, cancellationToken);
        try
        {
            long lastId;
            using (var last = connection.CreateCommand())
            {
                last.CommandText = lastIdSql;
                lastId = Convert.ToInt64(last.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }

            var where = buildWhere(DateTimeOffset.UtcNow);
            where.And($"id <= {where.Bind(lastId)}");
            using var command = SqliteWorkerDatabase.Command(connection, buildSql(where, where.Bind(afterId), where.Bind(PageSize)), where);
            using var reader = command.ExecuteReader();
            while (reader.Read())
                page.Add(readRow(reader));
            return lastId;
        }
        catch (SQLiteException ex) when (QueryInterruption.WasInterrupted(ex, cancellationToken))
        {
            return null;
        }
    }

    static async Task<bool> Delay(TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
