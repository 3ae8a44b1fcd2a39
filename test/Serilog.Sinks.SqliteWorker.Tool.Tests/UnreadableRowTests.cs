using System.Text.Json;
using Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests;

/// <summary>
/// Deeply nested events, written by the sink and stored by hand as older files hold them: every command shows every
/// event and exits 0; an event whose properties cannot be parsed gets a warning, and <c>--json</c> and export give its
/// raw text.
/// </summary>
public sealed class UnreadableRowTests
{
    static readonly int[] Levels = [70, 1_500, 5_000];
    static readonly string[] Hostile = [.. Levels.Select(DeepNesting.Json), "{\"A\":1,"];
    const int EventCount = 1 + 3 + 4;

    static TempFolder _folder = null!;
    static string _path = null!;
    static long[] _hostileIds = null!;

    [OneTimeSetUp]
    public static void WriteDeepEvents()
    {
        _folder = new TempFolder();
        _path = _folder.File("deep.db");
        using (var logger = new LoggerConfiguration().Destructure.ToMaximumDepth(5_010).WriteTo.SqliteWorker(_path).CreateLogger())
        {
            logger.Information("Ordinary {A}", 1);
            foreach (var levels in Levels)
                logger.Error("Deep {@N}", DeepNesting.Chain(levels));
        }

        _hostileIds = Hostile.Select((text, i) => RawRows.InsertLog(_path, $"hostile {i}", text, "Error")).ToArray();
    }

    [OneTimeTearDown]
    public static void DeleteDatabase() => _folder.Dispose();

    static async Task<ToolResult> Run(params string[] args)
    {
        var result = await SqliteLogs.RunAsync([args[0], _path, .. args[1..]]);
        result.ExitCode.Should().Be(0, result.Error);
        return result;
    }

    static void ShouldWarnOnceForEachHostileRow(ToolResult result) =>
        result.ErrorLines.Should().Equal(_hostileIds.Select(id =>
            $"sqlite-logs: warning: event {id}: its properties are not a JSON object that can be read (nested deeper than 64 levels, " +
            "or malformed); --json and export give their raw text as a JSON string."));

    [Test]
    public async Task LogsShowsEveryEventAndWarnsOfEachOneItCannotParse()
    {
        var result = await Run("logs");

        result.Output.Should().Contain($"{EventCount} events");
        foreach (var i in Enumerable.Range(0, Hostile.Length))
            result.Output.Should().Contain($"hostile {i}");
        ShouldWarnOnceForEachHostileRow(result);
    }

    [Test]
    public async Task LogsAsJsonGivesTheRawTextOfThePropertiesItCannotParse()
    {
        var result = await Run("logs", "--json");

        var rows = result.OutputLines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
        rows.Should().HaveCount(EventCount);
        rows.Where(r => r.GetProperty("message").GetString()!.StartsWith("Deep", StringComparison.Ordinal))
            .Select(r => r.GetProperty("properties").GetProperty("$flattened")[0].GetString()).Should().Equal("N", "N", "N");
        rows.TakeLast(Hostile.Length).Select(r => r.GetProperty("properties").GetString()).Should().Equal(Hostile);
        ShouldWarnOnceForEachHostileRow(result);
    }

    [Test]
    public async Task TailShowsEveryEventAndWarnsOfEachOneItCannotParse()
    {
        var result = await Run("tail", "-n", "100");

        result.OutputLines.Where(l => !l.StartsWith(' ')).Should().HaveCount(EventCount);
        ShouldWarnOnceForEachHostileRow(result);
    }

    [TestCase("jsonl")]
    [TestCase("csv")]
    public async Task ExportWritesEveryEvent(string format)
    {
        using var folder = new TempFolder();
        var output = folder.File("out." + format);

        var result = await Run("export", "--format", format, "--out", output);

        result.Output.Should().Contain($"Exported {EventCount} events");
        if (format == "jsonl")
            File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("properties").Clone())
                .TakeLast(Hostile.Length).Select(p => p.GetString()).Should().Equal(Hostile);
    }

    [Test]
    public async Task ReportStatsAndAPropertyFilterReadEveryEvent()
    {
        using var folder = new TempFolder();
        var page = folder.File("report.html");

        var report = await Run("report", "--out", page);
        var stats = await Run("stats");
        var filtered = await Run("logs", "--json", "--prop", "A=1");

        File.ReadAllText(page).Should().Contain("hostile 3").And.Contain("Deep Node { Level: 0,");
        stats.Output.Should().Contain($"Logs       {EventCount}");
        // The 70-level row is JSON SQLite reads; 1,500 and 5,000 levels are past its limit, and the last is cut short.
        filtered.OutputLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("message").GetString())
            .Should().Equal("Ordinary 1", "hostile 0");
    }
}
