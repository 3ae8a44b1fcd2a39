using System.Data.SQLite;
using System.Text;
using Serilog.Sinks.SqliteWorker.Query.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Query.Tests;

/// <summary>
/// The query helper reads by the same definition of the schema (<see cref="LogColumns"/>, <see cref="MetricColumns"/>)
/// as the sink writes by; these tests fail when its selects, exports or schema check drift from the tables the sink makes.
/// </summary>
public sealed class SchemaDefinitionTests
{
    [Test]
    public async Task TheHelperSelectsAndExportsExactlyTheColumnsTheSinkCreatesInTheirOrder()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        SinkDatabase.Write(path, log =>
        {
            log.Information("Creates the logs table");
            log.Metric("queue_depth", 17);
        });
        using var db = SqliteWorkerDatabase.Open(path);

        var logs = TableColumns(path, "logs");
        logs.Should().Equal([SchemaColumn.Id, .. LogColumns.All.Select(c => c.Name)]);
        LogSql.Columns.Split(", ").Should().Equal(logs);
        (await CsvHeader(stream => db.ExportLogsAsync(stream, ExportFormat.Csv))).Should().Equal(logs);

        var metrics = TableColumns(path, "metrics");
        metrics.Should().Equal([SchemaColumn.Id, .. MetricColumns.All.Select(c => c.Name)]);
        MetricSql.Columns.Split(", ").Should().Equal(metrics);
        (await CsvHeader(stream => db.ExportMetricsAsync(stream, ExportFormat.Csv))).Should().Equal(metrics);
    }

    static IEnumerable<TestCaseData> ContractColumns() =>
        LogColumns.All.Select(c => new TestCaseData("logs", c.Name))
            .Concat(MetricColumns.All.Select(c => new TestCaseData("metrics", c.Name)));

    [TestCaseSource(nameof(ContractColumns))]
    public void AFileWithoutAnyOneColumnOfTheDefinitionIsRefusedNamingIt(string table, string column)
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        SinkDatabase.Write(path, log =>
        {
            log.Information("Creates the logs table");
            log.Metric("queue_depth", 17);
        });
        using (var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // SQLite drops no column that an index uses.
            command.CommandText = $"SELECT name FROM pragma_index_list('{table}')";
            var indexes = new List<string>();
            using (var reader = command.ExecuteReader())
                while (reader.Read())
                    indexes.Add(reader.GetString(0));
            foreach (var index in indexes)
            {
                command.CommandText = $"DROP INDEX \"{index}\"";
                command.ExecuteNonQuery();
            }

            command.CommandText = $"ALTER TABLE \"{table}\" DROP COLUMN \"{column}\"";
            command.ExecuteNonQuery();
        }

        var open = () => SqliteWorkerDatabase.Open(path);

        open.Should().Throw<InvalidDataException>().WithMessage($"*\"{table}\"*has no column \"{column}\"*");
    }

    static List<string> TableColumns(string path, string table)
    {
        using var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
            names.Add(reader.GetString(0));
        return names;
    }

    static async Task<string[]> CsvHeader(Func<Stream, Task<long>> export)
    {
        using var output = new MemoryStream();
        await export(output);
        return Encoding.UTF8.GetString(output.ToArray()).Split("\r\n")[0].Split(',');
    }
}
