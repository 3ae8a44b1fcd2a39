using System.Data.SQLite;
using System.Diagnostics;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>
/// Fills a logs table with rows shaped like the sink's, fast: SQLite generates them itself, without a journal, and the
/// file is switched to WAL at the end as the sink leaves it. Timestamps lie in the past, one millisecond apart, so the
/// rows the sink adds later come after them, as in a real log file.
/// </summary>
static class Prefill
{
    const int RowsPerTransaction = 1_000_000;

    const string InsertSql =
        """
        WITH RECURSIVE n(i) AS (SELECT @first UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @end)
        INSERT INTO logs (timestamp, level, source_context, message, message_template, exception, thread_id, trace_id, span_id, properties)
        SELECT printf('%s.%07d', datetime(@startSeconds + i / 1000, 'unixepoch'), (i % 1000) * 10000),
               CASE WHEN i % 10 = 0 THEN 'Debug' WHEN i % 97 = 0 THEN 'Warning' ELSE 'Information' END,
               NULL,
               printf('Processed "/api/users" in 23.4 ms for %d', i / 4),
               'Processed {Endpoint} in {Elapsed} ms for {UserId}',
               NULL,
               i % 4 + 1,
               NULL,
               NULL,
               printf('{"Endpoint":"/api/users","Elapsed":23.4,"UserId":%d}', i / 4)
        FROM n
        """;

    public static Measurement Run(string path, long rows)
    {
        BenchmarkDatabase.Delete(path);
        var started = Stopwatch.GetTimestamp();
        using (var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path }.ConnectionString))
        {
            connection.Open();
            BenchmarkDatabase.Execute(connection, "PRAGMA journal_mode = OFF");
            BenchmarkDatabase.Execute(connection, "PRAGMA synchronous = OFF");
            BenchmarkDatabase.Execute(connection, "PRAGMA cache_size = -262144");
            SchemaMigrator.Apply(connection, path, SinkSchema.Logs("logs", []), SinkSchema.Metrics("metrics"));

            var startSeconds = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds() - rows / 1000;
            using var command = connection.CreateCommand();
            command.CommandText = InsertSql;
            for (long first = 0; first < rows; first += RowsPerTransaction)
            {
                using var transaction = connection.BeginTransaction();
                command.Parameters.Clear();
                command.Parameters.AddWithValue("@first", first);
                command.Parameters.AddWithValue("@end", Math.Min(first + RowsPerTransaction, rows));
                command.Parameters.AddWithValue("@startSeconds", startSeconds);
                command.ExecuteNonQuery();
                transaction.Commit();
            }

            BenchmarkDatabase.Execute(connection, "PRAGMA journal_mode = WAL");
        }

        return new Measurement
        {
            Configuration = "prefill",
            Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds,
            Rows = BenchmarkDatabase.CountLogs(path),
            Expected = rows,
        };
    }
}
