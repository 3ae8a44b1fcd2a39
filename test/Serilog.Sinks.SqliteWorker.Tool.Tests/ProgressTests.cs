using Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests;

/// <summary>Long commands show what they are doing on a terminal, and nothing but their result when redirected.</summary>
public sealed class ProgressTests
{
    static readonly string[] ProgressWords = ["Counting", "Backing up", "Deleting", "Reading the database", "Exporting", "\u001b", "\r"];

    [TestCase("stats")]
    [TestCase("backup")]
    [TestCase("prune")]
    [TestCase("report")]
    [TestCase("export")]
    public async Task RedirectedOutputHasTheResultAndNoProgress(string command)
    {
        using var folder = new TempFolder();
        var database = folder.File("copy.db");
        (await SqliteLogs.RunAsync("backup", ToolDatabase.Path, database)).ExitCode.Should().Be(0);

        var result = await SqliteLogs.RunAsync(Arguments(command, database, folder));

        result.ExitCode.Should().Be(0, result.Error);
        result.Output.Should().NotContainAny(ProgressWords);
        result.Error.Should().BeEmpty();
        if (command != "stats")
            result.OutputLines.Should().ContainSingle().Which.Should().StartWith(command switch
            {
                "backup" => $"Backed up {database} to {folder.File("out")} (",
                "prune" => "Deleted 0 log rows and 0 metric rows older than ",
                "report" => $"Wrote {folder.File("out")} (",
                _ => $"Exported {ToolDatabase.LogCount} events to {folder.File("out")}",
            });
    }

    [TestCase("stats", "Counting rows")]
    [TestCase("backup", "Backing up")]
    [TestCase("prune", "Deleting rows older than")]
    [TestCase("report", "Reading the database for the report")]
    [TestCase("export", "Exporting")]
    public async Task OnATerminalTheCommandSaysWhatItIsDoing(string command, string progress)
    {
        using var folder = new TempFolder();
        var database = folder.File("copy.db");
        (await SqliteLogs.RunAsync("backup", ToolDatabase.Path, database)).ExitCode.Should().Be(0);
        var output = new CapturedWriter();
        var console = new ToolConsole(output, new CapturedWriter(), isTerminal: true, useColour: false, width: 120);

        var exitCode = await SqliteLogsApp.RunAsync(Arguments(command, database, folder), console);

        exitCode.Should().Be(0);
        output.Text.Should().Contain(progress);
    }

    static string[] Arguments(string command, string database, TempFolder folder) => command switch
    {
        "stats" => ["stats", database],
        "backup" => ["backup", database, folder.File("out")],
        "prune" => ["prune", database, "--older-than", "30d"],
        "report" => ["report", database, "-o", folder.File("out")],
        _ => ["export", database, "-o", folder.File("out")],
    };
}
