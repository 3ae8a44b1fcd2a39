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
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var connection = file.Open();
        var page = new List<T>(PageSize);
        while (!cancellationToken.IsCancellationRequested)
        {
            page.Clear();
            if (!TryReadPage(connection, afterId, readRow, buildSql, buildWhere, page, cancellationToken))
                yield break;

            foreach (var row in page)
            {
                afterId = idOf(row);
                yield return row;
            }

            if (page.Count < PageSize && !await Delay(pollInterval, cancellationToken).ConfigureAwait(false))
                yield break;
        }
    }

    static bool TryReadPage<T>(SQLiteConnection connection, long afterId, Func<SQLiteDataReader, T> readRow,
        Func<SqlWhere, string, string, string> buildSql, Func<DateTimeOffset, SqlWhere> buildWhere, List<T> page,
        CancellationToken cancellationToken)
    {
        using var interrupt = QueryInterruption.Interrupts(connection, cancellationToken);
        try
        {
            var where = buildWhere(DateTimeOffset.UtcNow);
            using var command = SqliteWorkerDatabase.Command(connection, buildSql(where, where.Bind(afterId), where.Bind(PageSize)), where);
            using var reader = command.ExecuteReader();
            while (reader.Read())
                page.Add(readRow(reader));
            return true;
        }
        catch (SQLiteException ex) when (QueryInterruption.WasInterrupted(ex, cancellationToken))
        {
            return false;
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
