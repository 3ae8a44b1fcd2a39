using System.CommandLine;
using System.CommandLine.Parsing;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary><c>tail DB [-f]</c>: the last events, then, with <c>-f</c>, new ones as the sink writes them until Ctrl+C.</summary>
static class TailCommand
{
    public static Command Create(ToolConsole console, Option<bool> utc)
    {
        var database = new DatabaseOptions();
        var filters = new LogFilterOptions(utc);
        var lines = new Option<int>("--lines", "-n")
        {
            Description = "How many of the last events to show first.",
            DefaultValueFactory = _ => 10,
            CustomParser = OptionValues.WholeNumber(0),
            HelpName = "N",
        };
        var follow = new Option<bool>("--follow", "-f")
        {
            Description = "Keep showing new events as they are written, until Ctrl+C. A file not made yet is waited for, as tail -F does.",
        };
        var poll = new Option<TimeSpan>("--poll")
        {
            Description = "How often to look for new events when following.",
            DefaultValueFactory = _ => SqliteWorkerDatabase.DefaultPollInterval,
            CustomParser = ParseDuration,
            HelpName = "DURATION",
        };
        var json = new Option<bool>("--json") { Description = "Write JSON Lines, one object per event." };
        var command = new Command("tail", "Shows the last events, and with -f follows new ones live until Ctrl+C.");
        database.AddTo(command);
        filters.AddTo(command);
        command.Options.Add(lines);
        command.Options.Add(follow);
        command.Options.Add(poll);
        command.Options.Add(json);

        command.SetAction(async (result, cancellationToken) =>
        {
            SqliteWorkerDatabase? opened;
            var waited = false;
            try
            {
                opened = database.Open(result);
            }
            catch (FileNotFoundException) when (result.GetValue(follow))
            {
                console.Error.WriteLine($"{SqliteLogsApp.Name}: waiting for '{database.Path(result)}', which does not exist yet; " +
                                        "the sink creates it when it writes its first batch.");
                opened = await WaitForDatabase(database, result, result.GetValue(poll), cancellationToken).ConfigureAwait(false);
                if (opened == null)
                    return ExitCodes.Success;
                console.Error.WriteLine($"{SqliteLogsApp.Name}: '{database.Path(result)}' has appeared; following it.");
                waited = true;
            }

            using var db = opened;
            var filter = filters.Build(result, DateTimeOffset.UtcNow);
            var time = new TimeFormat(result.GetValue(utc));
            var lineWriter = new LogLine(time, console.UseColour);
            var jsonWriter = result.GetValue(json) ? new LogJson(time) : null;
            void Write(LogRecord row)
            {
                if (jsonWriter != null)
                    jsonWriter.Write(console.Out, row);
                else
                    lineWriter.Write(console.Out, row);
                UnreadableProperties.Warn(console.Error, row);
            }

            // A file that appeared while waiting is followed from its first row, as tail -F shows a new file whole.
            long? lastId = waited ? 0 : null;
            var count = result.GetValue(lines);
            if (count > 0 && !waited)
            {
                var last = db.GetLogs(filter, count, ResultOrder.NewestFirst, cancellationToken: cancellationToken);
                foreach (var row in last.Reverse())
                    Write(row);
                // Following from the newest id shown means no event written meanwhile is missed.
                if (last.Count > 0)
                    lastId = last.Max(r => r.Id);
            }

            if (!result.GetValue(follow))
                return ExitCodes.Success;

            await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var row in db.TailLogsAsync(lastId, filter, result.GetValue(poll), cancellationToken).ConfigureAwait(false))
            {
                Write(row);
                await console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }

            // Ctrl+C is how a follow ends.
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Polls until the sink has made the file and its tables; null when Ctrl+C came first, which ends a follow normally.</summary>
    static async Task<SqliteWorkerDatabase?> WaitForDatabase(DatabaseOptions database, ParseResult result, TimeSpan poll,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await Task.Delay(poll, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            try
            {
                return database.Open(result);
            }
            catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
            {
                // The sink makes the file, then its tables: a file without them yet is still being made.
            }
        }
    }

    internal static TimeSpan ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Duration.TryParse(text, out var duration))
            return duration;
        result.AddError($"'{text}' is not a duration; give one {Duration.Examples}.");
        return default;
    }
}
