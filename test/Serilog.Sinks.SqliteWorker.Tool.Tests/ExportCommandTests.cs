using System.Data.SQLite;
using System.Text.Json;
using Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests;

/// <summary><c>export</c>: metric values as well as events, and a file that is whole or not there.</summary>
public sealed class ExportCommandTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task ExportWithMetricsWritesTheMetricValuesTheFiltersChoose()
    {
        using var folder = new TempFolder();
        var file = folder.File("checkout.jsonl");

        var result = await SqliteLogs.RunAsync("export", ToolDatabase.Path, "--metrics", "--name", "checkout_ms", "--format", "jsonl", "-o", file);

        result.ExitCode.Should().Be(0, result.Error);
        result.Output.Trim().Should().Be($"Exported {ToolDatabase.CheckoutCount} metric values to {file}");
        var rows = File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        rows.Should().HaveCount(ToolDatabase.CheckoutCount)
            .And.OnlyContain(r => r.GetProperty("metric_name").GetString() == "checkout_ms" && r.GetProperty("unit").GetString() == "ms");
    }

    [Test]
    public async Task ExportWithMetricsAsCsvHasTheMetricsColumns()
    {
        using var folder = new TempFolder();
        var file = folder.File("all.csv");

        var result = await SqliteLogs.RunAsync("export", ToolDatabase.Path, "--metrics", "-o", file);

        result.ExitCode.Should().Be(0, result.Error);
        var lines = File.ReadAllLines(file);
        lines[0].Should().Be("id,timestamp,metric_name,value,unit,properties");
        lines.Should().HaveCount(ToolDatabase.MetricCount + 1);
    }

    [TestCase(new[] { "--metrics", "--level", "Error" }, "--level filters events, and --metrics exports metric values; filter them with --name")]
    [TestCase(new[] { "--name", "checkout_ms" }, "--name chooses metrics; add --metrics to export metric values.")]
    [TestCase(new[] { "--metrics", "--name", "a", "--prefix", "b" }, "Give --name or --prefix, not both.")]
    public async Task FiltersOfTheOtherTableAreAnError(string[] options, string message)
    {
        using var folder = new TempFolder();

        var result = await SqliteLogs.RunAsync(["export", ToolDatabase.Path, "-o", folder.File("x.csv"), .. options]);

        result.ExitCode.Should().Be(2);
        result.ErrorLines.Should().ContainSingle().Which.Should().Contain(message);
        Directory.EnumerateFileSystemEntries(folder.Path).Should().BeEmpty();
    }

    [Test]
    public async Task AFailedExportLeavesNoPartialFileAndSaysSo()
    {
        using var folder = new TempFolder();
        // A folder where the file should go: every row is written, and the last step, the rename, fails.
        var target = folder.File("export.csv");
        Directory.CreateDirectory(target);

        var result = await SqliteLogs.RunAsync("export", ToolDatabase.Path, "-o", target);

        result.ExitCode.Should().Be(ExitCodes.Failure);
        result.ErrorLines.Should().ContainSingle().Which.Should()
            .StartWith($"sqlite-logs: error: The export failed, and no file was written at '{target}': ");
        Directory.EnumerateFileSystemEntries(folder.Path).Should().Equal(target);
        Directory.EnumerateFileSystemEntries(target).Should().BeEmpty();
    }

    [Test]
    public async Task AnInterruptedExportLeavesTheFileThatWasThereAndSaysSo()
    {
        using var folder = new TempFolder();
        var path = folder.File("big.db");
        SinkDatabase.Write(path, logger => logger.Information("Order {OrderId} placed by {Customer}", 1, "c1"));
        AddCopiesOfTheFirstEvent(path, 300_000);
        var target = folder.File("export.csv");
        await File.WriteAllTextAsync(target, "yesterday's export\n");

        using var stop = new CancellationTokenSource();
        var export = SqliteLogs.RunAsync(["export", path, "-o", target], new CapturedWriter(), stop.Token);
        // Interrupted once rows have reached the disk, as Ctrl+C in the middle of a long export would be.
        await WaitFor(() => TemporaryFiles(folder).Any(f => new FileInfo(f).Length > 0) || export.IsCompleted);
        export.IsCompleted.Should().BeFalse("the export must still be running when it is interrupted");
        await stop.CancelAsync();
        var result = await export;

        result.ExitCode.Should().Be(ExitCodes.Interrupted);
        result.ErrorLines.Should().ContainSingle().Which.Should()
            .Be($"sqlite-logs: error: Interrupted: the export was stopped and '{target}' was left as it was.");
        (await File.ReadAllTextAsync(target)).Should().Be("yesterday's export\n");
        TemporaryFiles(folder).Should().BeEmpty();
    }

    static IEnumerable<string> TemporaryFiles(TempFolder folder) =>
        Directory.EnumerateFiles(folder.Path, ".export.csv.*.tmp");

    static void AddCopiesOfTheFirstEvent(string path, int copies)
    {
        using var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @copies) " +
            "INSERT INTO logs (timestamp, level, source_context, message, message_template, exception, thread_id, trace_id, span_id, properties) " +
            "SELECT timestamp, level, source_context, message || ' ' || i, message_template, exception, thread_id, trace_id, span_id, properties " +
            "FROM logs, n WHERE logs.id = 1";
        command.Parameters.AddWithValue("@copies", copies);
        command.ExecuteNonQuery();
    }

    static async Task WaitFor(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
            await Task.Delay(5, timeout.Token);
    }
}
