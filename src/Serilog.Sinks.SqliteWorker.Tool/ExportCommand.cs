using System.CommandLine;
using Serilog.Sinks.SqliteWorker.Query;
using Spectre.Console;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// <c>export DB --format csv|jsonl --out FILE [--metrics]</c>: the events (or metric values) that match the filters,
/// oldest first, streamed by the helper in constant memory into a file beside the target that replaces it only once
/// complete, with a progress bar on a terminal.
/// </summary>
static class ExportCommand
{
    public static Command Create(ToolConsole console, Option<bool> utc)
    {
        var database = new DatabaseOptions();
        var filters = new LogFilterOptions(utc);
        var format = new Option<string>("--format") { Description = "CSV, or JSON Lines.", DefaultValueFactory = _ => "csv", HelpName = "csv|jsonl" };
        OptionValues.OneOf(format, "csv", "jsonl");
        var output = new Option<string>("--out", "-o")
        {
            Description = "The file to write. It appears, or replaces the one there, only when the export is complete.",
            Required = true,
            HelpName = "FILE",
        };
        var metrics = new Option<bool>("--metrics") { Description = "Export metric values (from the metrics table) instead of events." };
        var name = new Option<string>("--name") { Description = "With --metrics: only the values of this metric.", HelpName = "METRIC" };
        var prefix = new Option<string>("--prefix") { Description = "With --metrics: only the metrics whose names start with this text.", HelpName = "PREFIX" };
        var command = new Command("export", "Writes the events, or with --metrics the metric values, that match the filters to a CSV or JSON Lines file.");
        database.AddTo(command);
        filters.AddTo(command);
        command.Options.Add(format);
        command.Options.Add(output);
        command.Options.Add(metrics);
        command.Options.Add(name);
        command.Options.Add(prefix);
        command.Validators.Add(result =>
        {
            var metricOptions = new Option[] { name, prefix }.Where(o => result.GetResult(o) != null).Select(o => o.Name).ToList();
            if (result.GetValue(metrics))
            {
                if (filters.EventOnlyOptionsGiven(result).FirstOrDefault() is { } eventOption)
                    result.AddError($"{eventOption} filters events, and --metrics exports metric values; filter them with --name, --prefix, --since and --until.");
                else if (metricOptions.Count == 2)
                    result.AddError("Give --name or --prefix, not both.");
            }
            else if (metricOptions.Count > 0)
            {
                result.AddError($"{metricOptions[0]} chooses metrics; add --metrics to export metric values.");
            }
        });

        command.SetAction(async (result, cancellationToken) =>
        {
            using var db = database.Open(result);
            var now = DateTimeOffset.UtcNow;
            var exportFormat = result.GetValue(format) == "jsonl" ? ExportFormat.JsonLines : ExportFormat.Csv;
            var target = new ExportTarget(Path.GetFullPath(result.GetRequiredValue(output)));
            ExportRows export;
            Func<long> total;
            string what;
            if (result.GetValue(metrics))
            {
                var (since, until) = filters.Time(result, now);
                var filter = new MetricFilter { Name = result.GetValue(name), NamePrefix = result.GetValue(prefix), Since = since, Until = until };
                export = (stream, progress, token) => db.ExportMetricsAsync(stream, exportFormat, filter, progress, token);
                what = "metric values";
                // The bar needs a total: counting by name reads the matching rows once.
                total = () => db.CountByMetricName(filter, cancellationToken).Sum(g => g.Count);
            }
            else
            {
                var filter = filters.Build(result, now);
                export = (stream, progress, token) => db.ExportLogsAsync(stream, exportFormat, filter, progress, token);
                what = "events";
                // The bar needs a total: counting by level is answered from an index.
                total = () => db.CountByLevel(filter, cancellationToken).Sum(g => g.Count);
            }

            var written = await target.WriteAsync(async stream => console.IsTerminal
                    ? await WithProgressBar(console, total(), (progress, token) => export(stream, progress, token), cancellationToken)
                        .ConfigureAwait(false)
                    : await export(stream, null, cancellationToken).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);

            console.Out.WriteLine($"Exported {Numbers.Count(written)} {what} to {target.Path}");
            return ExitCodes.Success;
        });
        return command;
    }

    delegate Task<long> ExportRows(Stream destination, IProgress<long>? progress, CancellationToken cancellationToken);

    static Task<long> WithProgressBar(ToolConsole console, long total, Func<IProgress<long>, CancellationToken, Task<long>> export,
        CancellationToken cancellationToken) =>
        console.Ansi.Progress().AutoClear(true).StartAsync(async context =>
        {
            var task = context.AddTask("Exporting", maxValue: Math.Max(total, 1));
            // Drawn at once, not at the bar's first tick, which a short export ends before.
            context.Refresh();
            var count = await export(new ProgressBar(task), cancellationToken).ConfigureAwait(false);
            task.Value = task.MaxValue;
            return count;
        });

    /// <summary>Moves the bar on the exporting thread itself, so no update arrives after the export has returned.</summary>
    sealed class ProgressBar(ProgressTask task) : IProgress<long>
    {
        public void Report(long value) => task.Value = value;
    }
}
