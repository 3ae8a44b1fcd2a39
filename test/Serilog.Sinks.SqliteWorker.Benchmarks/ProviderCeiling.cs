using System.Data.SQLite;
using System.Diagnostics;
using System.Text;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>
/// What System.Data.SQLite itself can insert: pre-rendered rows of the sink's logs table, with its indexes, in
/// 1,000-row transactions of prepared multi-row INSERTs. No Serilog, no rendering: the most a sink could reach. By
/// default it checkpoints as the sink does (on a thread of its own, <see cref="WalCheckpointer"/>), so that the sink is
/// compared with the provider under the same policy; <c>inlineCheckpoints</c> leaves SQLite's default policy, where
/// the inserting connection checkpoints every 1,000 pages itself. <c>autoVacuum</c> creates the file with incremental
/// auto-vacuum on or off, to measure what its bookkeeping (pointer-map pages) costs the inserts.
/// </summary>
static class ProviderCeiling
{
    const int TransactionRows = 1_000;

    public static Measurement Run(string path, int rowCount, int rowsPerStatement, bool inlineCheckpoints, bool? autoVacuum = null)
    {
        if (TransactionRows % rowsPerStatement != 0)
            throw new ArgumentException($"rowsPerStatement must divide {TransactionRows}.");

        var rows = EventShape.PrerenderRows(rowCount, DateTime.UtcNow);
        using var connection = BenchmarkDatabase.Open(path, autoVacuum);
        if (autoVacuum is { } on && BenchmarkDatabase.Scalar(connection, "PRAGMA auto_vacuum") != (on ? 2 : 0))
            throw new InvalidOperationException($"The file {path} did not take auto_vacuum = {(on ? "INCREMENTAL" : "NONE")}; is it new?");
        using var checkpointer = inlineCheckpoints ? null : new WalCheckpointer(connection.ConnectionString, path);
        if (!inlineCheckpoints)
            WalCheckpointer.SetWriterBackstop(connection);
        using var command = connection.CreateCommand();
        command.CommandText = InsertSql(rowsPerStatement);
        var columns = EventShape.Columns.Length;
        var parameters = new SQLiteParameter[rowsPerStatement * columns];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = new SQLiteParameter($"@p{i}");
            command.Parameters.Add(parameters[i]);
        }

        GC.Collect();
        var cpuBefore = Measurement.ProcessorSeconds();
        var started = Stopwatch.GetTimestamp();
        // On a thread of its own, named as the sink names its writer, so that the parent counts its processor time as
        // the writer's (see ThreadTimes), apart from the rendering of the rows above.
        var inserter = new Thread(() => Insert(connection, command, parameters, rows, rowsPerStatement, checkpointer))
        {
            Name = "SqliteWorker(ceiling) inserts",
        };
        inserter.Start();
        inserter.Join();

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuSeconds = Measurement.ProcessorSeconds() - cpuBefore;
        var written = BenchmarkDatabase.Scalar(connection, "SELECT COUNT(*) FROM logs");
        return new Measurement
        {
            Configuration = $"ceiling-{rowsPerStatement}{(inlineCheckpoints ? "-inline" : "")}{autoVacuum switch { true => "-autovacuum", false => "-no-autovacuum", null => "" }}",
            Seconds = seconds,
            CpuSeconds = cpuSeconds,
            Rows = written,
            Expected = rowCount,
        };
    }

    static void Insert(SQLiteConnection connection, SQLiteCommand command, SQLiteParameter[] parameters, object[][] rows,
        int rowsPerStatement, WalCheckpointer? checkpointer)
    {
        var columns = EventShape.Columns.Length;
        for (var first = 0; first < rows.Length; first += TransactionRows)
        {
            using var transaction = connection.BeginTransaction();
            var end = Math.Min(first + TransactionRows, rows.Length);
            for (var row = first; row + rowsPerStatement <= end; row += rowsPerStatement)
            {
                for (var r = 0; r < rowsPerStatement; r++)
                {
                    var values = rows[row + r];
                    for (var c = 0; c < columns; c++)
                        parameters[r * columns + c].Value = values[c];
                }

                command.ExecuteNonQuery();
            }

            transaction.Commit();
            checkpointer?.Request();
        }
    }

    static string InsertSql(int rowsPerStatement)
    {
        var sql = new StringBuilder($"INSERT INTO logs ({string.Join(", ", EventShape.Columns)}) VALUES ");
        var columns = EventShape.Columns.Length;
        for (var r = 0; r < rowsPerStatement; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            sql.AppendJoin(", ", Enumerable.Range(r * columns, columns).Select(i => $"@p{i}"));
            sql.Append(')');
        }

        return sql.ToString();
    }
}
