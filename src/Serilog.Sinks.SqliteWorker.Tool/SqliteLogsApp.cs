using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// The <c>sqlite-logs</c> command line: parses with System.CommandLine, runs the command, and turns failures into one
/// line on standard error and an exit code from <see cref="ExitCodes"/>.
/// </summary>
static class SqliteLogsApp
{
    public const string Name = "sqlite-logs";

    /// <summary>Runs one command line; the entry point calls this, and so do the tests, with a captured console.</summary>
    public static async Task<int> RunAsync(string[] args, ToolConsole console, CancellationToken cancellationToken = default)
    {
        var root = CreateRootCommand(console);
        var result = root.Parse(args);
        if (result.Action is ParseErrorAction)
        {
            var command = result.CommandResult.Command == root ? Name : $"{Name} {result.CommandResult.Command.Name}";
            // An unknown word explains more than the "required command" error it also causes.
            var error = result.Errors.FirstOrDefault(e => result.UnmatchedTokens.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal)))
                        ?? result.Errors[0];
            return Fail(console, ExitCodes.Usage, $"{Sentence(error.Message)} Run '{command} --help' for usage.");
        }

        try
        {
            return await result.InvokeAsync(
                new InvocationConfiguration
                {
                    Output = console.Out,
                    Error = console.Error,
                    EnableDefaultExceptionHandler = false,
                    // Ctrl+C arrives as cancellationToken, from the entry point, so that the command decides how it ends.
                    ProcessTerminationTimeout = null,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException ex)
        {
            return Fail(console, ExitCodes.DatabaseNotFound, ex.Message);
        }
        catch (DirectoryNotFoundException ex)
        {
            return Fail(console, ExitCodes.DatabaseNotFound, ex.Message);
        }
        catch (NothingMatchedException ex)
        {
            return Fail(console, ExitCodes.NoMatch, ex.Message);
        }
        catch (InvalidDataException ex)
        {
            return Fail(console, ExitCodes.NotASinkDatabase, ex.Message);
        }
        catch (ArgumentException ex) when (ex.InnerException is System.Data.SQLite.SQLiteException sqlite)
        {
            // SQLite checks a JSON path only when it runs it, and --prop gives the only path the helper is handed.
            return Fail(console, ExitCodes.Usage,
                $"--prop names a JSON path SQLite does not accept ({sqlite.Message.Split('\n', 2)[0].Trim()}). Write it as $.Name or $.Outer.Inner.");
        }
        catch (ArgumentException ex)
        {
            // The helper checks filters and paths when called, and says what is wrong; the parameter name adds nothing here.
            return Fail(console, ExitCodes.Usage, ex.ParamName == null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", ""));
        }
        catch (OperationCanceledException ex)
        {
            // A command that has more to say about what an interruption left behind says it in its exception.
            return Fail(console, ExitCodes.Interrupted, ex.Message.StartsWith("Interrupted", StringComparison.Ordinal) ? ex.Message : "Interrupted.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Data.SQLite.SQLiteException)
        {
            return Fail(console, ExitCodes.Failure, ex.Message);
        }
    }

    static Command CreateRootCommand(ToolConsole console)
    {
        var utc = new Option<bool>("--utc") { Description = "Show and read times in UTC instead of local time.", Recursive = true };
        var root = new Command(Name,
            "Reads the SQLite database written by Serilog.Sinks.SqliteWorker: statistics, logs, a live tail, metrics, exports, " +
            "an HTML report, backups, pruning and forwarding to an OpenTelemetry endpoint.")
        {
            new HelpOption(),
            new VersionOption(),
            utc,
            StatsCommand.Create(console, utc),
            LogsCommand.Create(console, utc),
            TailCommand.Create(console, utc),
            MetricsCommand.Create(console, utc),
            ExportCommand.Create(console, utc),
            ReportCommand.Create(console, utc),
            ServeCommand.Create(console, utc),
            BackupCommand.Create(console),
            PruneCommand.Create(console, utc),
            ForwardCommand.Create(console),
        };
        return root;
    }

    /// <summary>One line on standard error: the tool's name and what went wrong, its lines joined.</summary>
    static int Fail(ToolConsole console, int exitCode, string message)
    {
        var line = string.Join(' ', message.Split('\n').Select(part => part.Trim()).Where(part => part.Length > 0));
        // The message may quote text from the file, such as a level name.
        console.Error.WriteLine($"{Name}: error: {TerminalText.OneLine(Sentence(line))}");
        return exitCode;
    }

    /// <summary>The text ending in one full stop, whether it came with none (as some parser errors do) or with a doubled one.</summary>
    static string Sentence(string text)
    {
        text = text.TrimEnd().TrimEnd('.');
        return text.EndsWith('?') || text.EndsWith('!') ? text : text + ".";
    }
}
