using System.Text.Json;
using Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests;

/// <summary>
/// Text from the file never drives the operator's terminal: in tables, lines and errors every control character is shown
/// escaped, a line break inside a value is followed by an indent so that it cannot pass for an event, and Spectre.Console
/// markup in a value is shown as written. <c>--json</c> stays exact JSON.
/// </summary>
public sealed class TerminalOutputTests
{
    const string Title = "x \u001b]0;PWNED\u0007\u001b[2J {U}";
    const string Forged = "a\nFAKE [ERR] forged";
    const string Hyperlink = "\u001b]8;;http://x\u001b\\text\u001b]8;;\u001b\\";
    const string Cursor = "\u001b[1A\u001b[2K\u001b[10;10H\rback\bspace\u007f\u009b31m\u202eright";
    const string Source = "Src\u001b[31m[red]s[/]";
    const string Metric = "m\u001b[2J[red]m[/]";

    static TempFolder _folder = null!;
    static string _path = null!;

    [OneTimeSetUp]
    public static void WriteHostileEvents()
    {
        _folder = new TempFolder();
        _path = _folder.File("hostile.db");
        SinkDatabase.Write(_path, log =>
        {
            log.Warning(Title, Forged);
            log.Information("link {L}", Hyperlink);
            log.ForContext(Serilog.Core.Constants.SourceContextPropertyName, Source).Information("cursor {C} [red]markup[/]", Cursor);
            log.Metric(Metric, 1.5);
        });
    }

    [OneTimeTearDown]
    public static void DeleteDatabase() => _folder.Dispose();

    static async Task<ToolResult> Run(params string[] args)
    {
        var result = await SqliteLogs.RunAsync([args[0], _path, .. args[1..]]);
        result.ExitCode.Should().Be(0, result.Error);
        return result;
    }

    static void ShouldShowNoControlCharacter(string output)
    {
        var unsafeCharacters = output.Where(c => (c < ' ' && c != '\n') || c is >= '\u007f' and <= '\u009f' or '\u202e').ToArray();
        unsafeCharacters.Select(c => $"U+{(int)c:X4}").Should().BeEmpty("every control character from the file is shown escaped");
    }

    [Test]
    public async Task TailShowsEscapesAndIndentsTheLinesAfterAnEventsFirst()
    {
        var result = await Run("tail", "--utc");

        ShouldShowNoControlCharacter(result.Output);
        result.OutputLines.Where(l => !l.StartsWith(TerminalText.ContinuationIndent, StringComparison.Ordinal)).Should().HaveCount(3)
            .And.AllSatisfy(l => l.Should().MatchRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z \[(WRN|INF)\] "), "only an event's first line starts at the margin");
        result.OutputLines.Should().Contain(l => l.EndsWith("[WRN] x \\e]0;PWNED\\u0007\\e[2J \"a", StringComparison.Ordinal))
            .And.Contain(TerminalText.ContinuationIndent + "FAKE [ERR] forged\"");
        result.Output.Should().Contain("link \"\\e]8;;http://x\\e\\text\\e]8;;\\e\\\"")
            .And.Contain(@"Src\e[31m[red]s[/]: cursor ""\e[1A\e[2K\e[10;10H\rback\u0008space\u007F\u009B31m\u202Eright"" [red]markup[/]");
    }

    [Test]
    public async Task TheLogsTableShowsEscapesAndMarkupAsWritten()
    {
        var result = await Run("logs");

        ShouldShowNoControlCharacter(result.Output);
        result.Output.Should().Contain("x \\e]0;PWNED\\u0007\\e[2J \"a")
            .And.Contain("\\e]8;;http://x\\e\\text\\e]8;;\\e\\")
            .And.Contain("[red]markup[/]")
            .And.Contain(@"Src\e[31m[red]s[/]");
        result.Output.Should().Contain("│ " + TerminalText.ContinuationIndent + "FAKE [ERR] forged\"",
            "the line after a break in a message is indented in its cell");
    }

    [Test]
    public async Task StatsAndMetricsShowEscapesAndMarkupAsWritten()
    {
        var stats = await Run("stats");
        var metrics = await Run("metrics");

        ShouldShowNoControlCharacter(stats.Output);
        stats.Output.Should().Contain(@"Src\e[31m[red]s[/]");
        ShouldShowNoControlCharacter(metrics.Output);
        metrics.Output.Should().Contain(@"m\e[2J[red]m[/]");
    }

    [Test]
    public async Task JsonLinesKeepTheTextExactly()
    {
        var result = await Run("logs", "--json");

        ShouldShowNoControlCharacter(result.Output);
        result.Output.Should().Contain(@"\u001B]0;PWNED\u0007").And.Contain(@"\u202E");
        var messages = result.OutputLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("message").GetString()).ToArray();
        messages.Should().Equal(
            "x \u001b]0;PWNED\u0007\u001b[2J \"a\nFAKE [ERR] forged\"",
            $"link \"{Hyperlink}\"",
            $"cursor \"{Cursor}\" [red]markup[/]");
    }

    [Test]
    public async Task AnErrorQuotingTextFromTheFileShowsItEscapedOnOneLine()
    {
        using var folder = new TempFolder();
        var path = folder.File("level.db");
        SinkDatabase.Write(path, log => log.Information("ordinary"));
        using (var connection = new System.Data.SQLite.SQLiteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE logs SET level = '\u001b]0;PWNED\u0007' || char(10) || 'FAKE'";
            command.ExecuteNonQuery();
        }

        var result = await SqliteLogs.RunAsync("logs", path);

        result.ExitCode.Should().Be(ExitCodes.NotASinkDatabase);
        ShouldShowNoControlCharacter(result.Error);
        result.ErrorLines.Should().ContainSingle().Which.Should().Contain(@"'\e]0;PWNED\u0007 FAKE' in the level column");
    }
}
