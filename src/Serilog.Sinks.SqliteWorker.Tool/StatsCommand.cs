using System.CommandLine;
using Serilog.Sinks.SqliteWorker.Forwarding;
using Serilog.Sinks.SqliteWorker.Query;
using Spectre.Console;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary><c>stats DB</c>: totals, counts by level and source context, time span, rates, and the file's and WAL's sizes.</summary>
static class StatsCommand
{
    public static Command Create(ToolConsole console, Option<bool> utc)
    {
        var database = new DatabaseOptions();
        var time = new TimeOptions(utc);
        var top = new Option<int>("--top") { Description = "How many source contexts to list.", DefaultValueFactory = _ => 10, CustomParser = OptionValues.WholeNumber(0), HelpName = "N" };
        var command = new Command("stats", "Totals, counts by level and source context, time span, rate, and the database's and WAL's size.");
        database.AddTo(command);
        time.AddTo(command);
        command.Options.Add(top);

        command.SetAction((result, cancellationToken) =>
        {
            using var db = database.Open(result);
            var (since, until) = time.Resolve(result, DateTimeOffset.UtcNow);
            var (statistics, size) = console.Status("Counting rows", () =>
                (db.GetStatistics(since, until, cancellationToken), db.GetFileSize(cancellationToken)));
            var format = new TimeFormat(result.GetValue(utc));

            var lines = new List<(string Name, string Value)>();
            void Row(string name, string value) => lines.Add((name, value));
            Row("Database", db.DatabasePath);
            Row("File size", $"{Numbers.Bytes(size.FileBytes)} (WAL {Numbers.Bytes(size.WalBytes)}, free pages {Numbers.Bytes(size.FreeBytes)})");
            Row("Logs", Numbers.Count(statistics.LogCount));
            Row("Metrics", Numbers.Count(statistics.MetricCount));
            Row("First", statistics.FirstTimestamp is { } first ? format.Format(first) : "-");
            Row("Last", statistics.LastTimestamp is { } last ? format.Format(last) : "-");
            if (statistics is { FirstTimestamp: { } from, LastTimestamp: { } to })
                Row("Time span", Duration.Format(to - from));
            Row("Rate", statistics.LogsPerSecond is { } logRate
                ? $"{Numbers.Rate(logRate)} logs/s, {Numbers.Rate(statistics.MetricsPerSecond ?? 0)} metrics/s"
                : "-");
            foreach (var (name, value) in lines)
                console.Out.WriteLine($"{name,-11}{TerminalText.OneLine(value)}");
            console.Out.WriteLine();

            var levels = new Table().Border(TableBorder.Rounded).Title("By level")
                .AddColumn("Level").AddColumn(new TableColumn("Count").RightAligned()).AddColumn(new TableColumn("Share").RightAligned());
            foreach (var group in statistics.ByLevel.OrderByDescending(g => g.Key))
                levels.AddRow(group.Key.ToString(), Numbers.Count(group.Count), Numbers.Percent(group.Percentage));
            console.Ansi.Write(levels);

            var sources = new Table().Border(TableBorder.Rounded).Title("By source context")
                .AddColumn("Source context").AddColumn(new TableColumn("Count").RightAligned()).AddColumn(new TableColumn("Share").RightAligned());
            foreach (var group in statistics.BySourceContext.Take(result.GetValue(top)))
                sources.AddRow(TerminalText.Markup(group.Key ?? "(none)"), Numbers.Count(group.Count), Numbers.Percent(group.Percentage));
            if (statistics.BySourceContext.Count > result.GetValue(top))
                sources.Caption($"and {Numbers.Count(statistics.BySourceContext.Count - result.GetValue(top))} more");
            console.Ansi.Write(sources);
            WriteForwarding(console, db, database, result);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>Where each destination that forwarded from the file stands, when any has: forwarded, pending and lag per table.</summary>
    static void WriteForwarding(ToolConsole console, SqliteWorkerDatabase db, DatabaseOptions database, ParseResult result)
    {
        // A shared in-memory database has no file for a forwarder to keep a cursor in.
        if (!File.Exists(db.DatabasePath))
            return;
        var statuses = SqliteForwarder.ReadStatus(db.DatabasePath, database.LogsTable(result), database.MetricsTable(result));
        if (statuses.Count == 0)
            return;
        var table = new Table().Border(TableBorder.Rounded).Title("Forwarding")
            .AddColumn("Destination").AddColumn("Table").AddColumn(new TableColumn("Forwarded").RightAligned())
            .AddColumn(new TableColumn("Pending").RightAligned()).AddColumn(new TableColumn("Lag").RightAligned())
            .AddColumn(new TableColumn("Rejected").RightAligned()).AddColumn(new TableColumn("Never forwarded").RightAligned());
        foreach (var status in statuses)
            table.AddRow(TerminalText.Markup(status.Destination), TerminalText.Markup(status.Table), Numbers.Count(status.Forwarded),
                Numbers.Count(status.Pending), status.Lag is { } lag ? Duration.Format(lag) : "-", Numbers.Count(status.Rejected),
                Numbers.Count(status.NeverForwarded));
        console.Ansi.Write(table);
    }
}
