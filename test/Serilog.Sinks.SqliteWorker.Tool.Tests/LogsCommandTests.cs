using System.Globalization;
using System.Text.Json;
using Serilog.Sinks.SqliteWorker.Query;
using Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests;

/// <summary><c>logs</c> and <c>tail</c> without following: filters honoured, exact counts, JSON that parses.</summary>
public sealed class LogsCommandTests
{
    static string Db => ToolDatabase.Path;

    static async Task<JsonElement[]> Json(params string[] args)
    {
        var result = await SqliteLogs.RunAsync(["logs", Db, "--json", .. args.Contains("--limit") ? args : [.. args, "--limit", "1000"]]);
        result.ExitCode.Should().Be(0, result.Error);
        result.Error.Should().BeEmpty();
        return result.OutputLines.Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToArray();
    }

    [Test]
    public async Task JsonLinesHoldEveryEventOldestFirstWithEveryColumn()
    {
        var rows = await Json();

        rows.Should().HaveCount(ToolDatabase.LogCount);
        var times = rows.Select(r => DateTimeOffset.Parse(r.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture)).ToArray();
        times.Should().BeInAscendingOrder();
        times[^1].Should().Be(ToolDatabase.EventTime(0));
        var newest = rows[^1];
        newest.GetProperty("level").GetString().Should().Be("Error");
        newest.GetProperty("sourceContext").GetString().Should().Be("Shop.Orders");
        newest.GetProperty("message").GetString().Should().Be("Order 0 failed");
        newest.GetProperty("messageTemplate").GetString().Should().Be("Order {OrderId} failed");
        newest.GetProperty("exception").GetString().Should().StartWith("System.InvalidOperationException: Payment declined");
        newest.GetProperty("threadId").GetInt64().Should().Be(1);
        newest.GetProperty("traceId").GetString().Should().Be(ToolDatabase.TraceId.ToHexString());
        newest.GetProperty("properties").GetProperty("Customer").GetString().Should().Be("c0");
    }

    [TestCase("--level", "Error", ToolDatabase.ErrorCount)]
    [TestCase("--level", "wrn", ToolDatabase.WarningCount)]
    [TestCase("--min-level", "Warning", ToolDatabase.ErrorCount + ToolDatabase.WarningCount)]
    [TestCase("--min-level", "Verbose", ToolDatabase.LogCount)]
    [TestCase("--source", "Shop.Payments", 80)]
    [TestCase("--grep", "PLACED BY", ToolDatabase.InformationCount)]
    [TestCase("--prop", "OrderId=7", 1)]
    [TestCase("--prop", "Customer=c1", 60)]
    [TestCase("--prop", "OrderId=\"7\"", 0)]
    [TestCase("--prop", "Customer", ToolDatabase.LogCount)]
    [TestCase("--thread", "2", 120)]
    [TestCase("--trace", "4bf92f3577b34da6a3ce929d0e0e4736", 48)]
    [TestCase("--since", "100d", ToolDatabase.LogCount)]
    public async Task EachFilterIsHonoured(string option, string value, int expected)
    {
        var rows = await Json(option, value);

        rows.Should().HaveCount(expected);
        using var db = SqliteWorkerDatabase.Open(Db);
        db.CountByLevel(FilterFor(option, value)).Sum(g => g.Count).Should().Be(expected, "the helper answers the same question the same way");
    }

    [Test]
    public async Task TimeFiltersTakeDatesAndTimesAndCombineWithOtherFilters()
    {
        // Halfway between event 79 and event 80, so that the clock moving on cannot change the answer.
        var since = ToolDatabase.WrittenAt - TimeSpan.FromSeconds(45 * 79 + 22);
        var until = ToolDatabase.WrittenAt - TimeSpan.FromSeconds(45 * 9 + 22);
        var rows = await Json("--since", since.ToString("O", CultureInfo.InvariantCulture), "--until", until.ToString("O", CultureInfo.InvariantCulture),
            "--min-level", "Error");

        rows.Select(r => r.GetProperty("properties").GetProperty("OrderId").GetInt32()).Should().Equal(70, 60, 50, 40, 30, 20, 10);
    }

    [Test]
    public async Task LimitShowsTheNewestEventsOldestFirst()
    {
        var rows = await Json("--limit", "3");

        rows.Select(r => r.GetProperty("properties").GetProperty("OrderId").GetInt32()).Should().Equal(2, 1, 0);
    }

    [Test]
    public async Task TheTableShowsTimesLevelsSourcesAndMessagesWithACount()
    {
        var result = await SqliteLogs.RunAsync("logs", Db, "--level", "Error", "--utc");

        result.ExitCode.Should().Be(0);
        var time = ToolDatabase.EventTime(10).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        result.OutputLines.Should().Contain(line => line.Contains(time) && line.Contains("ERR") && line.Contains("Shop.Payments") && line.Contains("Order 10 failed"));
        result.OutputLines.Should().Contain(line => line.Contains("System.TimeoutException: Gateway timed out"));
        result.Output.Should().Contain($"{ToolDatabase.ErrorCount} events").And.NotContain("\u001b[", "a captured console is not a terminal");
    }

    [Test]
    public async Task TimesAreLocalWithTheirOffsetUnlessUtcIsAsked()
    {
        var local = await SqliteLogs.RunAsync("tail", Db, "-n", "1");
        var utc = await SqliteLogs.RunAsync("tail", Db, "-n", "1", "--utc");

        var expected = ToolDatabase.EventTime(0);
        local.Output.Should().StartWith(expected.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss.fff zzz", CultureInfo.InvariantCulture));
        utc.Output.Should().StartWith(expected.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task TailShowsTheLastEventsAsLines()
    {
        var result = await SqliteLogs.RunAsync("tail", Db, "-n", "4", "--level", "Information", "--utc");

        result.ExitCode.Should().Be(0);
        result.OutputLines.Should().HaveCount(4);
        result.OutputLines.Select(l => l[(l.IndexOf(']') + 2)..]).Should().Equal(
            "Shop.Orders: Order 6 placed by \"c2\"", "Shop.Api: Order 5 placed by \"c1\"",
            "Shop.Payments: Order 4 placed by \"c0\"", "Shop.Orders: Order 3 placed by \"c3\"");
        result.OutputLines.Should().OnlyContain(l => l.Contains(" [INF] "));
    }

    static LogFilter FilterFor(string option, string value)
    {
        var (path, propertyValue) = option == "--prop" ? LogFilterOptions.ParseProperty(value) : (null, null);
        LevelName.TryParse(value, out var level);
        return option switch
        {
            "--level" => new LogFilter { Level = level },
            "--min-level" => new LogFilter { MinimumLevel = level },
            "--source" => new LogFilter { SourceContext = value },
            "--grep" => new LogFilter { MessageContains = value },
            "--prop" => new LogFilter { PropertyPath = path, PropertyValue = propertyValue },
            "--thread" => new LogFilter { ThreadId = long.Parse(value, CultureInfo.InvariantCulture) },
            "--trace" => new LogFilter { TraceId = value },
            _ => new LogFilter { Since = DateTimeOffset.UtcNow.AddDays(-100) },
        };
    }
}
