namespace Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

/// <summary>What one run of the tool gave: its exit code and what it wrote.</summary>
sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}

/// <summary>Runs <c>sqlite-logs</c> in-process through its entry point, with the console captured and not a terminal.</summary>
static class SqliteLogs
{
    public static Task<ToolResult> RunAsync(params string[] args) => RunAsync(args, new CapturedWriter(), CancellationToken.None);

    public static Task<ToolResult> RunAsync(string[] args, CapturedWriter output, CancellationToken cancellationToken) =>
        RunAsync(args, output, new CapturedWriter(), cancellationToken);

    public static async Task<ToolResult> RunAsync(string[] args, CapturedWriter output, CapturedWriter error, CancellationToken cancellationToken)
    {
        var console = new ToolConsole(output, error, isTerminal: false, useColour: false);
        var exitCode = await SqliteLogsApp.RunAsync(args, console, cancellationToken);
        return new ToolResult(exitCode, output.Text, error.Text);
    }
}
