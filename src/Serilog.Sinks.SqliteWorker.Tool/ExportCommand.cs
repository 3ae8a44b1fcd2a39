using System.CommandLine;
using Serilog.Sinks.SqliteWorker.Query;
using Spectre.Console;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// <c>export DB --format csv|jsonl --out FILE</c>: the events that match the filters, oldest first, streamed by the
/// helper in constant memory, with a progress bar on a terminal.
/// </summary>
static class ExportCommand
{
    public static Command Create(ToolConsole console, Option<bool> utc)
    {
        var database = new DatabaseOptions();
        var filters = new LogFilterOptions(utc);
        var format = new Option<string>("--format") { Description = "CSV, or JSON Lines.", DefaultValueFactory = _ => "csv", HelpName = "csv|jsonl" };
        OptionValues.OneOf(format, "csv", "jsonl");
        var output = new Option<string>("--out", "-o") { Description = "The file to write; an existing file is replaced.", Required = true, HelpName = "FILE" };
        var command = new Command("export", "Writes the events that match the filters to a CSV or JSON Lines file.");
        database.AddTo(command);
        filters.AddTo(command);
        command.Options.Add(format);
        command.Options.Add(output);

        command.SetAction(async (result, cancellationToken) =>
        {
            using var db = database.Open(result);
            var filter = filters.Build(result, DateTimeOffset.UtcNow);
            var exportFormat = result.GetValue(format) == "jsonl" ? ExportFormat.JsonLines : ExportFormat.Csv;
            var path = Path.GetFullPath(result.GetRequiredValue(output));

            long written;
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true))
            {
                if (console.IsTerminal)
                {
                    // The bar needs a total: counting by level is answered from an index.
                    var total = db.CountByLevel(filter, cancellationToken).Sum(g => g.Count);
                    written = await console.Ansi.Progress().AutoClear(true).StartAsync(async context =>
                    {
                        var task = context.AddTask("Exporting", maxValue: Math.Max(total, 1));
                        var count = await db.ExportLogsAsync(file, exportFormat, filter, new ProgressBar(task), cancellationToken)
                            .ConfigureAwait(false);
                        task.Value = task.MaxValue;
                        return count;
                    }).ConfigureAwait(false);
                }
                else
                {
                    written = await db.ExportLogsAsync(file, exportFormat, filter, null, cancellationToken).ConfigureAwait(false);
                }
            }

            console.Out.WriteLine($"Exported {Numbers.Count(written)} events to {path}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Moves the bar on the exporting thread itself, so no update arrives after the export has returned.</summary>
    sealed class ProgressBar(ProgressTask task) : IProgress<long>
    {
        public void Report(long value) => task.Value = value;
    }
}
