using System.CommandLine;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary><c>prune DB --older-than 30d</c>: deletes old logs and metrics in short transactions, safe while the sink writes.</summary>
static class PruneCommand
{
    public static Command Create(ToolConsole console, Option<bool> utc)
    {
        var database = new DatabaseOptions();
        var olderThan = new Option<TimeSpan>("--older-than")
        {
            Description = $"Delete the rows older than this, {Duration.Examples}.",
            Required = true,
            CustomParser = TailCommand.ParseDuration,
            HelpName = "DURATION",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Count the rows that would be deleted, and delete nothing." };
        var command = new Command("prune", "Deletes the logs and metrics older than a duration; the freed space is reused by new rows.");
        database.AddTo(command);
        command.Options.Add(olderThan);
        command.Options.Add(dryRun);

        command.SetAction((result, cancellationToken) =>
        {
            using var db = database.Open(result);
            var now = DateTimeOffset.UtcNow;
            var age = result.GetValue(olderThan);
            var cutoff = age >= now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : now - age;
            var when = new TimeFormat(result.GetValue(utc)).Format(cutoff);
            if (result.GetValue(dryRun))
            {
                var statistics = console.Status("Counting old rows", () => db.GetStatistics(until: cutoff, cancellationToken: cancellationToken));
                console.Out.WriteLine($"Would delete {Numbers.Count(statistics.LogCount)} log rows and " +
                                      $"{Numbers.Count(statistics.MetricCount)} metric rows older than {when}.");
            }
            else
            {
                var pruned = console.Status($"Deleting rows older than {when}", () => db.DeleteOlderThan(cutoff, cancellationToken));
                console.Out.WriteLine($"Deleted {Numbers.Count(pruned.LogsDeleted)} log rows and " +
                                      $"{Numbers.Count(pruned.MetricsDeleted)} metric rows older than {when}.");
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
