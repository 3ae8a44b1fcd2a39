using System.Globalization;
using System.Text;
using System.Text.Json;
using Serilog.Sinks.SqliteWorker.Query.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Query.Tests;

public sealed class ExportTests
{
    static string Path => SampleDatabase.Path;

    [Test]
    public async Task CsvHasAHeaderAndOneRecordPerRowThatParsesBackExactly()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        using var output = new MemoryStream();

        var count = await db.ExportLogsAsync(output, ExportFormat.Csv);

        var records = ParseCsv(Encoding.UTF8.GetString(output.ToArray()));
        records[0].Should().Equal("id", "timestamp", "level", "source_context", "message", "message_template", "exception",
            "thread_id", "trace_id", "span_id", "properties");
        count.Should().Be(records.Count - 1).And.Be(SampleDatabase.LogCount);

        var expected = db.GetLogs(null, 1000, ResultOrder.OldestFirst);
        records.Skip(1).Select(r => long.Parse(r[0], CultureInfo.InvariantCulture)).Should().Equal(expected.Select(r => r.Id));
        foreach (var (row, record) in records.Skip(1).Zip(expected))
        {
            DateTimeOffset.Parse(row[1], CultureInfo.InvariantCulture).Should().Be(record.Timestamp);
            row[1].Should().EndWith("Z");
            row[4].Should().Be(record.Message);
            row[6].Should().Be(record.Exception ?? "");
            row[10].Should().Be(record.Properties.GetRawText());
        }

        records.Should().Contain(r => r[4].Contains("declined\\\", retry\nlater", StringComparison.Ordinal));
        records.Should().Contain(r => r[4].Contains("Größe ✓ 日本", StringComparison.Ordinal));
    }

    [Test]
    public async Task JsonLinesHoldOneObjectPerRowWithNestedProperties()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        using var output = new MemoryStream();

        var count = await db.ExportLogsAsync(output, ExportFormat.JsonLines);

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n');
        lines[^1].Should().BeEmpty("every line, the last too, ends with a line feed");
        lines = lines[..^1];
        count.Should().Be(lines.Length).And.Be(SampleDatabase.LogCount);
        var expected = db.GetLogs(limit: 1000, order: ResultOrder.OldestFirst);
        foreach (var (line, record) in lines.Zip(expected))
        {
            using var json = JsonDocument.Parse(line);
            var row = json.RootElement;
            row.GetProperty("id").GetInt64().Should().Be(record.Id);
            row.GetProperty("level").GetString().Should().Be(record.Level.ToString());
            row.GetProperty("message").GetString().Should().Be(record.Message);
            row.GetProperty("thread_id").GetInt64().Should().Be(record.ThreadId);
            row.GetProperty("properties").ValueKind.Should().Be(JsonValueKind.Object);
            row.GetProperty("properties").GetRawText().Should().Be(record.Properties.GetRawText());
        }
    }

    [Test]
    public async Task MetricsExportWithProgressReportedAtTheEnd()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        using var output = new MemoryStream();
        var reported = new List<long>();

        var count = await db.ExportMetricsAsync(output, ExportFormat.Csv, new MetricFilter { Name = "db_query" }, new SynchronousProgress(reported));

        count.Should().Be(80);
        reported.Should().Equal(80);
        var records = ParseCsv(Encoding.UTF8.GetString(output.ToArray()));
        records[0].Should().Equal("id", "timestamp", "metric_name", "value", "unit", "properties");
        records.Skip(1).Should().OnlyContain(r => r[2] == "db_query" && r[4] == "ms");
        records.Skip(1).Select(r => double.Parse(r[3], CultureInfo.InvariantCulture))
            .Should().Equal(db.GetMetrics(new MetricFilter { Name = "db_query" }, 1000, ResultOrder.OldestFirst).Select(m => m.Value));
    }

    [Test]
    public async Task ProgressIsReportedAsALargeExportGoes()
    {
        using var folder = new TempFolder();
        var path = folder.File("large.db");
        SinkDatabase.Write(path, logger =>
        {
            for (var i = 0; i < 25_000; i++)
                logger.Information("Event {N}", i);
        });
        using var db = SqliteWorkerDatabase.Open(path);
        var reported = new List<long>();

        var count = await db.ExportLogsAsync(Stream.Null, ExportFormat.JsonLines, progress: new SynchronousProgress(reported));

        count.Should().Be(25_000);
        reported.Should().Equal(10_000, 20_000, 25_000);
    }

    sealed class SynchronousProgress(List<long> reported) : IProgress<long>
    {
        public void Report(long value) => reported.Add(value);
    }

    /// <summary>An RFC 4180 reader, strict enough to catch a field that was not quoted when it had to be.</summary>
    static List<string[]> ParseCsv(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        field.Append(text[i++]);
                    }
                }
            }
            else if (text[i] == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                i++;
            }
            else if (text[i] == '\r' && text[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add(fields.ToArray());
                fields.Clear();
                i += 2;
            }
            else
            {
                text[i].Should().NotBe('\n', "a line break inside a field must be quoted");
                field.Append(text[i++]);
            }
        }

        fields.Should().BeEmpty("the last record ends with CRLF");
        return records;
    }
}
