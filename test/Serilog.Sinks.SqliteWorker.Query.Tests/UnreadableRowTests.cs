using System.Text;
using System.Text.Json;
using Serilog.Sinks.SqliteWorker.Query.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Query.Tests;

/// <summary>
/// A row whose properties column cannot be parsed is that row's problem: every read still returns every row, and hands
/// that row's properties on as a JSON string of the raw text. The rows are stored by hand, as files written before the
/// sink bounded nesting, or by something else, may hold them.
/// </summary>
public sealed class UnreadableRowTests
{
    static readonly string[] Hostile =
    [
        DeepNesting.Json(70), // valid JSON, deeper than System.Text.Json's default 64
        DeepNesting.Json(1_500), // deeper than SQLite's JSON limit of 1000
        DeepNesting.Json(5_000),
        "{\"A\":1,", // cut short
        "[1,2]", // JSON, but not an object
        "not json",
    ];

    TempFolder _folder = null!;
    string _path = null!;

    [SetUp]
    public void CreateDatabase()
    {
        _folder = new TempFolder();
        _path = _folder.File("logs.db");
        SinkDatabase.Write(_path, log =>
        {
            log.Information("Ordinary {A}", 1);
            log.Metric("ordinary", 1.0);
        });
        foreach (var (text, i) in Hostile.Select((text, i) => (text, i)))
        {
            RawRows.InsertLog(_path, $"hostile {i}", text);
            RawRows.InsertMetric(_path, $"hostile_{i}", text);
        }
    }

    [TearDown]
    public void DeleteDatabase() => _folder.Dispose();

    [Test]
    public void GetLogsAndGetMetricsReturnEveryRowWithTheRawTextOfThoseThatCannotBeParsed()
    {
        using var db = SqliteWorkerDatabase.Open(_path);

        var logs = db.GetLogs(limit: 100, order: ResultOrder.OldestFirst);
        var metrics = db.GetMetrics(limit: 100, order: ResultOrder.OldestFirst);

        logs.Select(r => r.Message).Should().Equal(["Ordinary 1", .. Hostile.Select((_, i) => $"hostile {i}")]);
        logs[0].Properties.GetProperty("A").GetInt32().Should().Be(1);
        logs.Skip(1).Select(r => r.Properties.GetString()).Should().Equal(Hostile);
        metrics.Should().HaveCount(1 + Hostile.Length);
        metrics.Skip(1).Select(r => r.Properties.GetString()).Should().Equal(Hostile);
    }

    [Test]
    public async Task TheTailReadsEveryRow()
    {
        using var db = SqliteWorkerDatabase.Open(_path);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var rows = new List<LogRecord>();
        await foreach (var row in db.TailLogsAsync(afterId: 0, cancellationToken: timeout.Token))
        {
            rows.Add(row);
            if (rows.Count == 1 + Hostile.Length)
                break;
        }

        rows.Skip(1).Select(r => r.Properties.GetString()).Should().Equal(Hostile);
    }

    [Test]
    public async Task AJsonLinesExportHasEveryRowAndEachLineParses()
    {
        using var db = SqliteWorkerDatabase.Open(_path);
        using var output = new MemoryStream();

        var count = await db.ExportLogsAsync(output, ExportFormat.JsonLines);
        using var metricOutput = new MemoryStream();
        var metricCount = await db.ExportMetricsAsync(metricOutput, ExportFormat.JsonLines);

        count.Should().Be(1 + Hostile.Length);
        metricCount.Should().Be(1 + Hostile.Length);
        foreach (var stream in new[] { output, metricOutput })
        {
            var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var properties = lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("properties").Clone()).ToArray();
            properties[0].ValueKind.Should().Be(JsonValueKind.Object);
            properties.Skip(1).Select(p => p.GetString()).Should().Equal(Hostile);
        }
    }

    [Test]
    public async Task ACsvExportHasEveryRowWithItsTextAsStored()
    {
        using var db = SqliteWorkerDatabase.Open(_path);
        using var output = new MemoryStream();

        var count = await db.ExportLogsAsync(output, ExportFormat.Csv);

        count.Should().Be(1 + Hostile.Length);
        var text = Encoding.UTF8.GetString(output.ToArray());
        foreach (var hostile in Hostile)
            text.Should().Contain(hostile.Contains(',', StringComparison.Ordinal) ? "\"" + hostile.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : hostile);
    }

    [Test]
    public void APropertyFilterSkipsRowsSqliteCannotParseInsteadOfFailing()
    {
        using var db = SqliteWorkerDatabase.Open(_path);

        var equal = db.GetLogs(new LogFilter { PropertyPath = "A", PropertyValue = 1 }, order: ResultOrder.OldestFirst);
        var present = db.GetLogs(new LogFilter { PropertyPath = "$.D" }, order: ResultOrder.OldestFirst);

        // SQLite reads 70 levels, so that row matches; 1,500 and 5,000 are past its limit, and the rest are not objects.
        equal.Select(r => r.Message).Should().Equal("Ordinary 1", "hostile 0");
        present.Select(r => r.Message).Should().Equal("hostile 0");
        db.CountByLevel(new LogFilter { PropertyPath = "A", PropertyValue = 1 }).Single().Count.Should().Be(2);
    }
}
