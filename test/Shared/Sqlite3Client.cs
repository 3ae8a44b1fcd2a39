using System.Diagnostics;

namespace Serilog.Sinks.SqliteWorker.Testing;

/// <summary>The sqlite3 command-line client: an outside reader of the sink's file, asking in plain SQL from another process.</summary>
static class Sqlite3Client
{
    /// <summary>Runs <paramref name="sql"/> and returns the output rows, columns separated by '|'.</summary>
    public static string[] Run(string databasePath, string sql)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-bail");
        start.ArgumentList.Add(databasePath);

        var process = Process.Start(start)!;
        using (process)
        {
            // As any reader beside a writer should: SQLite can refuse a query for a moment, for instance while another
            // connection closes and checks whether it was the last one, and without a busy timeout the client fails at
            // once rather than waiting those milliseconds.
            process.StandardInput.WriteLine(".timeout 10000");
            process.StandardInput.Write(sql);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit(60_000).Should().BeTrue("sqlite3 should answer within 60 s");
            error.Result.Should().BeEmpty();
            process.ExitCode.Should().Be(0);
            return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
    }

    /// <summary>
    /// The client's full path, for tests that run it themselves; skips or fails the test (see <see cref="Needs"/>) when
    /// it is not installed. The test must carry <c>[Category(Needs.Sqlite3Client)]</c>.
    /// </summary>
    public static string Executable =>
        Needs.Program(Needs.Sqlite3Client, "The sqlite3 command-line client", "Install it with `apt-get install sqlite3`", "sqlite3");

    /// <summary>The single value of a one-row, one-column answer.</summary>
    public static string Scalar(string databasePath, string sql) => Run(databasePath, sql).Single();

    /// <summary>A SQL string literal, for the tests' own fixed values.</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''") + "'";

    /// <summary>A time in the sink's stored text form, as a SQL literal.</summary>
    public static string Literal(DateTimeOffset time) =>
        Literal(time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture));
}
