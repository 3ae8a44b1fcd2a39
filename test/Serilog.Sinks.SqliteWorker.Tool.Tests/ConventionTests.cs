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
    [TestCase("logs", "--limit", "many", "Cannot parse argument 'many'")]
    [TestCase("logs", "--limit", "0", "limit is 0; it must be at least 1")]
    [TestCase("logs", "--trace", "abc", "TraceId 'abc' is not a W3C trace id")]
    [TestCase("metrics", "--bucket", "5m", "'5m'")]
    [TestCase("export", "--format", "xml", "'xml'")]
    public async Task BadValuesExitWith2AndSayWhatIsWrong(string command, string option, string value, string message)
    {
        string[] args = command == "prune" ? [command, ToolDatabase.Path, option, value] : [command, ToolDatabase.Path, option, value, "--out", "x.csv"];
        if (command is not ("export" or "prune"))
            args = [command, ToolDatabase.Path, option, value];

        var result = await SqliteLogs.RunAsync(args);

        result.ExitCode.Should().Be(ExitCodes.Usage).And.Be(2);
        result.ErrorLines.Should().ContainSingle().Which.Should().StartWith("sqlite-logs: error: ").And.Contain(message);
        result.Output.Should().BeEmpty();
    }

    [Test]
    public async Task ContradictoryFiltersExitWith2()
    {
        var result = await SqliteLogs.RunAsync("logs", ToolDatabase.Path, "--level", "Error", "--min-level", "Warning");

        result.ExitCode.Should().Be(2);
        result.ErrorLines.Should().ContainSingle().Which.Should().Contain("Level and MinimumLevel are both set");
    }

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
