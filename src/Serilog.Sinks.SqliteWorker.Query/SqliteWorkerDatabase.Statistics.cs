using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker.Query;

// The overview of both tables, read in one snapshot.
public sealed partial class SqliteWorkerDatabase
{
    /// <summary>
    /// Totals, first and last timestamps, rates, and log counts by level, thread and source context, read in one
    /// snapshot. Counting reads every row in the range: on millions of rows, prefer a time range, or
    /// <see cref="CountByLevel"/> alone, which is answered from an index.
    /// </summary>
    /// <param name="since">Count only rows at or after this time; null for no lower bound.</param>
    /// <param name="until">Count only rows before this time; null for no upper bound.</param>
    /// <param name="cancellationToken">Interrupts the queries.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentException"><paramref name="since"/> is later than <paramref name="until"/>.</exception>
    public DatabaseStatistics GetStatistics(DateTimeOffset? since = null, DateTimeOffset? until = null,
        CancellationToken cancellationToken = default)
    {
        TimeRange.Validate(since, until, null, nameof(since));
        var filter = new LogFilter { Since = since, Until = until };
        var metricFilter = new MetricFilter { Since = since, Until = until };

        return Run(cancellationToken, connection =>
        {
            // One read transaction, so that the sink's writes between the statements cannot make the parts disagree.
            using var snapshot = new ReadSnapshot(connection);
            var now = DateTimeOffset.UtcNow;
            var (logCount, logFirst, logLast) = ReadTotals(connection, _logs.Totals, _logs.Where(filter, now));
            var (metricCount, metricFirst, metricLast) = ReadTotals(connection, _metrics.Totals, _metrics.Where(metricFilter, now));
            var first = Min(logFirst, metricFirst);
            var last = Max(logLast, metricLast);
            var seconds = last - first is { TotalSeconds: > 0 } span ? span.TotalSeconds : (double?)null;

            return new DatabaseStatistics
            {
                LogCount = logCount,
                MetricCount = metricCount,
                FirstTimestamp = first,
                LastTimestamp = last,
                LogsPerSecond = logCount / seconds,
                MetricsPerSecond = metricCount / seconds,
                ByLevel = CountBy(connection, LogColumns.Level, filter, now, -1, r => RecordReader.ParseLevel(r.GetString(0))),
                ByThread = CountBy(connection, LogColumns.ThreadId, filter, now, -1, r => RecordReader.Int64OrNull(r, 0)),
                BySourceContext = CountBy(connection, LogColumns.SourceContext, filter, now, -1, r => RecordReader.StringOrNull(r, 0)),
            };
        });
    }

    static (long Count, DateTimeOffset? First, DateTimeOffset? Last) ReadTotals(SQLiteConnection connection,
        Func<SqlWhere, string> sql, SqlWhere where)
    {
        using var command = Command(connection, sql(where), where);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0),
            reader.IsDBNull(1) ? null : TimestampText.Parse(reader.GetString(1)),
            reader.IsDBNull(2) ? null : TimestampText.Parse(reader.GetString(2)));
    }

    static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a == null ? b : b == null ? a : a < b ? a : b;

    static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a == null ? b : b == null ? a : a > b ? a : b;
}
