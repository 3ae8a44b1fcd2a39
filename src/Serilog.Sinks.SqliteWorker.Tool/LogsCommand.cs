using System.CommandLine;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;
using Spectre.Console;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary><c>logs DB</c>: the newest events that match the filters, oldest first, as a table or JSON Lines.</summary>
static class LogsCommand
{
    public static Command Create(ToolConsole console, Option<bool> utc)
    {
        var database = new DatabaseOptions();
        var filters = new LogFilterOptions(utc);
        var limit = new Option<int>("--limit", "-n")
        {
            Description = "The most events to show: the newest ones, listed oldest first.",
            DefaultValueFactory = _ => SqliteWorkerDatabase.DefaultLimit,
            CustomParser = OptionValues.WholeNumber(1),
            HelpName = "N",
        };
        var json = new Option<bool>("--json") { Description = "Write JSON Lines, one object per event, instead of a table." };
        var command = new Command("logs", "Shows the events that match the filters.");
        database.AddTo(command);
        filters.AddTo(command);
        command.Options.Add(limit);
        command.Options.Add(json);

        command.SetAction((result, cancellationToken) =>
        {
            using var db = database.Open(result);
            var rows = db.GetLogs(filters.Build(result, DateTimeOffset.UtcNow), result.GetValue(limit), ResultOrder.NewestFirst,
                cancellationToken: cancellationToken);
            var time = new TimeFormat(result.GetValue(utc));
            if (result.GetValue(json))
            {
                var writer = new LogJson(time);
                foreach (var row in rows.Reverse())
                    writer.Write(console.Out, row);
            }
            else
            {
                console.Ansi.Write(Table(rows, time, result.GetValue(limit)));
            }

            foreach (var row in rows.Reverse())
                UnreadableProperties.Warn(console.Error, row);

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    static Table Table(IReadOnlyList<LogRecord> rows, TimeFormat time, int limit)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("Time").NoWrap())
            .AddColumn("Level")
            .AddColumn("Source context")
            .AddColumn("Message");
        foreach (var row in rows.Reverse())
        {
            var message = TerminalText.Markup(row.Message);
            if (row.Exception != null)
                message += "\n[dim]" + TerminalText.Markup(row.Exception.Split('\n', 2)[0].TrimEnd()) + "[/]";
            table.AddRow(new Markup(time.Format(row.Timestamp)), new Markup(LevelMarkup(row.Level)),
                new Markup(TerminalText.Markup(row.SourceContext ?? "")), new Markup(message));
        }

        table.Caption(rows.Count == limit
            ? $"{Numbers.Count(rows.Count)} events (the newest {Numbers.Count(limit)}; --limit shows more)"
            : $"{Numbers.Count(rows.Count)} events");
        return table;
    }

    internal static string LevelMarkup(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => $"[grey]{LevelName.Short(level)}[/]",
        LogEventLevel.Information => $"[cyan]{LevelName.Short(level)}[/]",
        LogEventLevel.Warning => $"[yellow]{LevelName.Short(level)}[/]",
        _ => $"[bold red]{LevelName.Short(level)}[/]",
    };
}
