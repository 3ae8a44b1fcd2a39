using System.Data.SQLite;
using Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests;

/// <summary>Help, version, exit codes, one-line errors, durations and colour.</summary>
public sealed class ConventionTests
{
    static readonly string[] Commands = ["stats", "logs", "tail", "metrics", "export", "report", "backup", "prune"];

    [TestCaseSource(nameof(Commands))]
    public async Task EveryCommandHasHelp(string command)
    {
        var result = await SqliteLogs.RunAsync(command, "--help");

        result.ExitCode.Should().Be(0);
        result.Output.Should().Contain($"sqlite-logs {command} <DB>").And.Contain("Options:").And.Contain("--utc");
        result.Error.Should().BeEmpty();
    }

    [Test]
    public async Task TheToolHasHelpAndAVersion()
    {
        var help = await SqliteLogs.RunAsync("--help");
        var version = await SqliteLogs.RunAsync("--version");

        help.ExitCode.Should().Be(0);
        foreach (var command in Commands)
            help.Output.Should().Contain(command);
        version.ExitCode.Should().Be(0);
        version.Output.Should().MatchRegex(@"^\d+\.\d+\.\d+");
    }

    [Test]
    public async Task AMissingFileExitsWith3AndOneLine()
    {
        using var folder = new TempFolder();
        var result = await SqliteLogs.RunAsync("stats", folder.File("missing.db"));

        result.ExitCode.Should().Be(ExitCodes.DatabaseNotFound).And.Be(3);
        result.ErrorLines.Should().ContainSingle().Which.Should().StartWith("sqlite-logs: error: There is no database file at ");
        result.Output.Should().BeEmpty();
    }

    [Test]
    public async Task AFileThatIsNotADatabaseExitsWith4AndOneLine()
    {
        using var folder = new TempFolder();
        var path = folder.File("notes.txt");
        await File.WriteAllTextAsync(path, "These are not the logs you are looking for.\n");

        var result = await SqliteLogs.RunAsync("logs", path);

        result.ExitCode.Should().Be(ExitCodes.NotASinkDatabase).And.Be(4);
        result.ErrorLines.Should().ContainSingle().Which.Should().Contain("is not a SQLite database");
    }

    [Test]
    public async Task ADatabaseTheSinkDidNotWriteExitsWith4()
    {
        using var folder = new TempFolder();
        var path = folder.File("other.db");
        using (var connection = new SQLiteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)";
            command.ExecuteNonQuery();
        }

        var result = await SqliteLogs.RunAsync("stats", path);

        result.ExitCode.Should().Be(4);
        result.ErrorLines.Should().ContainSingle().Which.Should().Contain("has no \"logs\" or \"metrics\" table");
    }

    [TestCase("logs", "--since", "5x", "--since '5x' is not a duration")]
    [TestCase("logs", "--until", "yesterday", "--until 'yesterday' is not a duration")]
    [TestCase("prune", "--older-than", "30 days", "'30 days' is not a duration")]
    [TestCase("tail", "--poll", "fast", "'fast' is not a duration")]
    [TestCase("logs", "--level", "Loud", "'Loud' is not a Serilog level")]
    [TestCase("logs", "--limit", "many", "--limit 'many' is not a whole number; give one such as 10.")]
    [TestCase("logs", "-n", "0", "-n 0 is too small; give 1 or more.")]
    [TestCase("stats", "--top", "-1", "--top -1 is too small; give 0 or more.")]
    [TestCase("logs", "--trace", "abc", "--trace 'abc' is not a trace id; give the 32 hex digits of a W3C trace id")]
    [TestCase("logs", "--thread", "x", "--thread 'x' is not a thread id; give the number a ThreadId enricher logs, such as 12.")]
    [TestCase("logs", "--prop", "=3", "--prop '=3' names no property. Write Name=Value (OrderId=42)")]
    [TestCase("logs", "--prop", "a[b=1", "--prop 'a[b=1': 'a[b' is not a property name. For a nested value write a JSON path")]
    [TestCase("metrics", "--bucket", "5m", "--bucket '5m' is not one of 1m, 1h. Run 'sqlite-logs metrics --help' for usage.")]
    [TestCase("export", "--format", "xml", "--format 'xml' is not one of csv, jsonl. Run 'sqlite-logs export --help' for usage.")]
    [TestCase("logs", "--logs-table", "x;y", "'x;y' is not a valid SQLite table name for --logs-table. Use 1 to 64 letters")]
    [TestCase("logs", "--logs-table", "metrics", "--logs-table and --metrics-table are both 'metrics'")]
    public async Task BadValuesExitWith2AndSayWhatIsWrongInTheCommandLinesWords(string command, string option, string value, string message)
    {
        string[] args = command switch
        {
            "prune" => [command, ToolDatabase.Path, option, value],
            "export" => [command, ToolDatabase.Path, option, value, "--out", "x.csv"],
            _ => [command, ToolDatabase.Path, option, value],
        };

        var result = await SqliteLogs.RunAsync(args);

        result.ExitCode.Should().Be(ExitCodes.Usage).And.Be(2);
        var error = result.ErrorLines.Should().ContainSingle().Which;
        error.Should().StartWith("sqlite-logs: error: ").And.Contain(message).And.EndWith(".").And.NotEndWith("..");
        error.Should().NotContainAny(ApiNames);
        result.Output.Should().BeEmpty();
    }

    [Test]
    public async Task ContradictoryFiltersExitWith2AndNameTheOptions()
    {
        var result = await SqliteLogs.RunAsync("logs", ToolDatabase.Path, "--level", "Error", "--min-level", "Warning");

        result.ExitCode.Should().Be(2);
        result.ErrorLines.Should().ContainSingle().Which.Should()
            .Contain("Give --level (exactly one level) or --min-level (a level and those more severe), not both.")
            .And.NotContainAny(ApiNames);
    }

    [Test]
    public async Task ASinceLaterThanTheUntilExitsWith2AndSaysHowDurationsCount()
    {
        var result = await SqliteLogs.RunAsync("logs", ToolDatabase.Path, "--since", "1h", "--until", "2h");

        result.ExitCode.Should().Be(2);
        result.ErrorLines.Should().ContainSingle().Which.Should()
            .Contain("--since 1h is later than --until 2h, so nothing could match.").And.NotContainAny(ApiNames);
    }

    [Test]
    public async Task AJsonPathSqliteRefusesIsNamedAsTheOptionThatGaveIt()
    {
        var result = await SqliteLogs.RunAsync("logs", ToolDatabase.Path, "--prop", "$.[=1");

        result.ExitCode.Should().Be(2);
        result.ErrorLines.Should().ContainSingle().Which.Should()
            .StartWith("sqlite-logs: error: --prop names a JSON path SQLite does not accept").And.NotContainAny(ApiNames);
    }

    [Test]
    public async Task ASchemaErrorEndsInOneFullStopAndNamesTheTableOptions()
    {
        using var folder = new TempFolder();
        var path = folder.File("other.db");
        using (var connection = new SQLiteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE logs (id INTEGER PRIMARY KEY, msg TEXT); CREATE TABLE other (id INTEGER PRIMARY KEY)";
            command.ExecuteNonQuery();
        }

        var wrongColumns = await SqliteLogs.RunAsync("stats", path);
        var wrongTables = await SqliteLogs.RunAsync("stats", path, "--logs-table", "events", "--metrics-table", "values");

        wrongColumns.ExitCode.Should().Be(4);
        wrongColumns.ErrorLines.Should().ContainSingle().Which.Should().EndWith("so it was not written by Serilog.Sinks.SqliteWorker.");
        wrongTables.ExitCode.Should().Be(4);
        wrongTables.ErrorLines.Should().ContainSingle().Which.Should()
            .EndWith("give the same names with --logs-table and --metrics-table.");
    }

    /// <summary>Words of the helper's API and of .NET that mean nothing to someone at a command line.</summary>
    static readonly string[] ApiNames =
        ["MinimumLevel", "PropertyPath", "TraceId", "ActivityTraceId", "System.", "logsTableName", "metricsTableName", "Parameter '"];

    [TestCase(new string[0], "Required command was not provided")]
    [TestCase(new[] { "frobnicate" }, "Unrecognized command or argument 'frobnicate'")]
    [TestCase(new[] { "logs" }, "Required argument missing for command: 'logs'")]
    [TestCase(new[] { "prune", "x.db" }, "Option '--older-than' is required")]
    [TestCase(new[] { "metrics", "x.db", "--bucket", "1m" }, "--bucket summarizes one metric over time; give its NAME")]
    public async Task AWrongCommandLineExitsWith2(string[] args, string message)
    {
        var result = await SqliteLogs.RunAsync(args);

        result.ExitCode.Should().Be(2);
        result.ErrorLines.Should().ContainSingle().Which.Should().Contain(message).And.EndWith("--help' for usage.");
    }

    [TestCase("15m", 0, 15, 0)]
    [TestCase("1h", 1, 0, 0)]
    [TestCase("7d", 168, 0, 0)]
    [TestCase("1h30m", 1, 30, 0)]
    [TestCase("2w", 336, 0, 0)]
    [TestCase("45s", 0, 0, 45)]
    public void DurationsReadAsPeopleWriteThem(string text, int hours, int minutes, int seconds)
    {
        Duration.TryParse(text, out var duration).Should().BeTrue();
        duration.Should().Be(new TimeSpan(hours, minutes, seconds));
    }

    [TestCase("")]
    [TestCase("15")]
    [TestCase("m")]
    [TestCase("1y")]
    [TestCase("-1h")]
    [TestCase("0m")]
    [TestCase("99999999999999999d")]
    public void NonDurationsAreRefused(string text) => Duration.TryParse(text, out _).Should().BeFalse();

    [TestCase(true, null, true)]
    [TestCase(true, "", true)]
    [TestCase(true, "1", false)]
    [TestCase(false, null, false)]
    [TestCase(false, "", false)]
    public void ColourIsUsedOnlyOnATerminalWithoutNoColor(bool isTerminal, string? noColor, bool expected) =>
        ToolConsole.UsesColour(isTerminal, noColor).Should().Be(expected);

    [Test]
    public void OnlyAColourConsoleWritesEscapeSequences()
    {
        using var db = Query.SqliteWorkerDatabase.Open(ToolDatabase.Path);
        var row = db.GetLogs(limit: 1).Single();
        var plain = new StringWriter();
        var coloured = new StringWriter();

        new LogLine(new TimeFormat(utc: true), useColour: false).Write(plain, row);
        new LogLine(new TimeFormat(utc: true), useColour: true).Write(coloured, row);

        plain.ToString().Should().NotContain("\u001b");
        coloured.ToString().Should().Contain("\u001b[1;31mERR\u001b[0m");
    }
}
