using System.Data.SQLite;
using System.Diagnostics;

namespace Serilog.Sinks.SqliteWorker.Query.Benchmarks;

/// <summary>
/// Measures the design proposed for whole-table statistics: an hourly aggregate table that the sink would keep up to
/// date in each batch's transaction. It works on a copy, so the benchmark database stays as the sink makes it, and
/// reports both sides of the trade: the write cost per row and the read time of the statistics.
/// </summary>
static class AggregateExperiment
{
    // One narrow row per hour and grouped value: at most 24 x (levels + threads + source contexts) rows a day, so
    // reading whole-table statistics costs the same at 1M or 1G log rows.
    const string CreateAggregate =
        // A missing value is stored as '' because primary-key columns of a WITHOUT ROWID table cannot be NULL.
        "CREATE TABLE logs_hourly (hour TEXT NOT NULL, dimension TEXT NOT NULL, key NOT NULL, n INTEGER NOT NULL, " +
        "PRIMARY KEY (dimension, key, hour)) WITHOUT ROWID";

    // What the sink would add to each batch's transaction. A trigger here does it once per row, an upper bound: the
    // sink would add up its batch in memory and upsert once per distinct key.
    const string Upsert =
        "CREATE TRIGGER logs_hourly_count AFTER INSERT ON logs BEGIN " +
        "INSERT INTO logs_hourly VALUES (substr(NEW.timestamp, 1, 13), 'level', NEW.level, 1), " +
        "(substr(NEW.timestamp, 1, 13), 'thread', coalesce(NEW.thread_id, ''), 1), (substr(NEW.timestamp, 1, 13), 'source', coalesce(NEW.source_context, ''), 1) " +
        "ON CONFLICT (dimension, key, hour) DO UPDATE SET n = n + 1; END";

    public static void Run(string sourcePath, int runs)
    {
        var copy = sourcePath + ".aggregate.db";
        File.Delete(copy);
        using (var source = Open(sourcePath, readOnly: true))
            Execute(source, $"VACUUM INTO '{copy.Replace("'", "''")}'");

        using var connection = Open(copy, readOnly: false);
        Execute(connection, "PRAGMA journal_mode = WAL");
        Execute(connection, "PRAGMA synchronous = NORMAL");

        var watch = Stopwatch.StartNew();
        Execute(connection, CreateAggregate);
        foreach (var (dimension, column) in new[] { ("level", "level"), ("thread", "thread_id"), ("source", "source_context") })
            Execute(connection,
                $"INSERT INTO logs_hourly SELECT substr(timestamp, 1, 13), '{dimension}', coalesce({column}, ''), count(*) FROM logs GROUP BY 1, 3");
        var backfill = watch.Elapsed.TotalMilliseconds;
        var aggregateRows = Scalar(connection, "SELECT count(*) FROM logs_hourly");

        Console.WriteLine();
        Console.WriteLine("Proposed design: hourly counts table (dimension, key, hour) -> n, for level, thread and source context");
        Console.WriteLine($"  one-off backfill from {Scalar(connection, "SELECT count(*) FROM logs"):N0} logs: {backfill:N0} ms, {aggregateRows:N0} aggregate rows");
        Time(connection, runs, "  by level, all rows, from the aggregate", "SELECT key, sum(n) FROM logs_hourly WHERE dimension = 'level' GROUP BY key");
        Time(connection, runs, "  by thread, all rows, from the aggregate", "SELECT key, sum(n) FROM logs_hourly WHERE dimension = 'thread' GROUP BY key");
        Time(connection, runs, "  by source context, all rows, from the aggregate", "SELECT key, sum(n) FROM logs_hourly WHERE dimension = 'source' GROUP BY key");
        Time(connection, runs, "  by level, all rows, from logs (today)", "SELECT level, count(*) FROM logs GROUP BY level");
        Time(connection, runs, "  by thread, all rows, from logs (today)", "SELECT thread_id, count(*) FROM logs GROUP BY thread_id");
        Time(connection, runs, "  by source context, all rows, from logs (today)", "SELECT source_context, count(*) FROM logs GROUP BY source_context");

        // Write cost: the same 50,000 rows in batches of 1,000, with and without the upsert.
        var without = InsertBatches(connection);
        Execute(connection, Upsert);
        var with = InsertBatches(connection);
        Console.WriteLine($"  sink-style inserts, 50,000 rows in batches of 1,000: {without:N0} ms without, {with:N0} ms with the upsert " +
                          $"({(with - without) * 1000 / 50_000:0.0} µs more per row)");

        connection.Dispose();
        foreach (var file in new[] { copy, copy + "-wal", copy + "-shm" })
            File.Delete(file);
    }

    static double InsertBatches(SQLiteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO logs (timestamp, level, source_context, message, message_template, thread_id, properties) " +
                              "VALUES (@t, @l, @s, 'Order placed', 'Order {OrderId} placed', @th, '{\"OrderId\":1}')";
        var t = new SQLiteParameter("@t");
        command.Parameters.Add(t);
        var l = new SQLiteParameter("@l");
        command.Parameters.Add(l);
        var s = new SQLiteParameter("@s");
        command.Parameters.Add(s);
        var th = new SQLiteParameter("@th");
        command.Parameters.Add(th);
        string[] levels = ["Debug", "Information", "Information", "Warning", "Error"];
        var started = Stopwatch.GetTimestamp();
        for (var batch = 0; batch < 50; batch++)
        {
            using var transaction = connection.BeginTransaction();
            for (var i = 0; i < 1000; i++)
            {
                t.Value = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture);
                l.Value = levels[i % levels.Length];
                s.Value = "Shop.Orders.OrderService" + (i % 7);
                th.Value = (long)(i % 13);
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    static void Time(SQLiteConnection connection, int runs, string name, string sql)
    {
        var times = new double[runs];
        for (var i = -1; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = sql;
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                }
            }

            if (i >= 0)
                times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(times);
        Console.WriteLine($"{name}: median {times[runs / 2]:0.00} ms");
    }

    static SQLiteConnection Open(string path, bool readOnly)
    {
        var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, ReadOnly = readOnly, FailIfMissing = true }.ConnectionString);
        connection.Open();
        return connection;
    }

    static void Execute(SQLiteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    static long Scalar(SQLiteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
