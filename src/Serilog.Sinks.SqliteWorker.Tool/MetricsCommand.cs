using System.CommandLine;
using Serilog.Sinks.SqliteWorker.Query;
using Spectre.Console;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// <c>metrics DB [NAME|--prefix P]</c>: count, min, avg, p50, p95, p99 and max of each metric, or of one metric per
/// minute or hour with a sparkline.
/// </summary>
static class MetricsCommand
{
    public static Command Create(ToolConsole console, Option<bool> utc)
    {
        var database = new DatabaseOptions();
        var time = new TimeOptions(utc, "values");
        var name = new Argument<string?>("NAME") { Description = "The metric; without it, every metric is listed.", Arity = ArgumentArity.ZeroOrOne };
        var prefix = new Option<string>("--prefix") { Description = "The metrics whose names start with this text.", HelpName = "PREFIX" };
        var bucket = new Option<string>("--bucket") { Description = "Summarize per minute (1m) or per hour (1h), with a sparkline.", HelpName = "1m|1h" };
        OptionValues.OneOf(bucket, "1m", "1h");
        var command = new Command("metrics", "Count, min, avg, p50, p95, p99 and max of metrics, overall or per minute or hour.");
        database.AddTo(command);
        command.Arguments.Add(name);
        command.Options.Add(prefix);
        time.AddTo(command);
        command.Options.Add(bucket);
        command.Validators.Add(result =>
        {
            if (result.GetValue(name) != null && result.GetValue(prefix) != null)
                result.AddError("Give a metric NAME or --prefix, not both.");
            else if (result.GetResult(bucket)?.Tokens is [{ Value: "1m" or "1h" }] && result.GetValue(name) == null && result.GetValue(prefix) == null)
                result.AddError("--bucket summarizes one metric over time; give its NAME (or --prefix).");
        });

        command.SetAction((result, cancellationToken) =>
        {
            using var db = database.Open(result);
            var (since, until) = time.Resolve(result, DateTimeOffset.UtcNow);
            var filter = new MetricFilter { Name = result.GetValue(name), NamePrefix = result.GetValue(prefix), Since = since, Until = until };
            var format = new TimeFormat(result.GetValue(utc));
            if (filter.Name != null || filter.NamePrefix != null)
                RequireValues(db, filter, cancellationToken);

            if (result.GetValue(bucket) is { } size)
                WriteBuckets(console, db.SummarizeMetricPerBucket(filter, size == "1m" ? MetricBucketSize.Minute : MetricBucketSize.Hour,
                    cancellationToken), format);
            else
                WriteSummaries(console, db, filter, cancellationToken);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>A metric that was named and has no values is an error that lists the names there are, as a typo usually explains it.</summary>
    static void RequireValues(SqliteWorkerDatabase db, MetricFilter filter, CancellationToken cancellationToken)
    {
        if (db.CountByMetricName(filter, cancellationToken).Count > 0)
            return;

        const int Shown = 20;
        var names = db.CountByMetricName(filter with { Name = null, NamePrefix = null }, cancellationToken)
            .Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
        var asked = filter.Name != null ? $"There is no metric '{Escape(filter.Name)}'" : $"No metric name starts with '{Escape(filter.NamePrefix!)}'";
        var range = filter.Since != null || filter.Until != null ? " in that time range" : "";
        var known = names.Count == 0
            ? $"The database has no metric values{range}."
            : $"The metrics{range} are: {string.Join(", ", names.Take(Shown).Select(Escape))}" +
              (names.Count > Shown ? $", and {Numbers.Count(names.Count - Shown)} more." : ".");
        throw new NothingMatchedException($"{asked}{range}. {known}");
    }

    // Metric names come from the file: a control character in one must not reach the terminal as it is.
    static string Escape(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) : text;

    static void WriteSummaries(ToolConsole console, SqliteWorkerDatabase db, MetricFilter filter, CancellationToken cancellationToken)
    {
        var names = filter.Name != null
            ? [filter.Name]
            : db.CountByMetricName(filter, cancellationToken).Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
        var table = SummaryTable("Metric");
        foreach (var metric in names)
            AddRow(table, TerminalText.Markup(metric), db.SummarizeMetric(filter with { Name = metric, NamePrefix = null }, cancellationToken));
        if (names.Count == 0)
            table.Caption("no metric values");
        console.Ansi.Write(table);
    }

    static void WriteBuckets(ToolConsole console, IReadOnlyList<MetricBucket> buckets, TimeFormat format)
    {
        var table = SummaryTable("Bucket");
        foreach (var bucket in buckets)
            AddRow(table, format.FormatMinute(bucket.Start), bucket.Summary);
        if (buckets.Count == 0)
            table.Caption("no metric values");
        console.Ansi.Write(table);
        if (buckets.Count == 0)
            return;

        console.Out.WriteLine($"p50  {Sparkline.Draw(buckets.Select(b => b.Summary.P50 ?? 0).ToArray())}");
        console.Out.WriteLine($"p95  {Sparkline.Draw(buckets.Select(b => b.Summary.P95 ?? 0).ToArray())}");
    }

    static Table SummaryTable(string firstColumn)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn(firstColumn);
        foreach (var column in new[] { "Count", "Min", "Avg", "p50", "p95", "p99", "Max" })
            table.AddColumn(new TableColumn(column).RightAligned());
        return table;
    }

    static void AddRow(Table table, string key, MetricSummary summary) =>
        table.AddRow(key, Numbers.Count(summary.Count), Numbers.Value(summary.Minimum), Numbers.Value(summary.Average),
            Numbers.Value(summary.P50), Numbers.Value(summary.P95), Numbers.Value(summary.P99), Numbers.Value(summary.Maximum));
}
