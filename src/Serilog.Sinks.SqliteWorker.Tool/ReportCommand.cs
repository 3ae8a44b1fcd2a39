using System.CommandLine;
using System.Text;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary><c>report DB -o report.html</c>: one self-contained HTML file with charts drawn as SVG.</summary>
static class ReportCommand
{
    public static Command Create(ToolConsole console, Option<bool> utc)
    {
        var database = new DatabaseOptions();
        var time = new TimeOptions(utc);
        var output = new Option<string>("--out", "-o") { Description = "The HTML file to write; an existing file is replaced.", DefaultValueFactory = _ => "report.html", HelpName = "FILE" };
        var top = new Option<int>("--top") { Description = "How many message templates and exceptions to list (and twice as many recent errors).", DefaultValueFactory = _ => 10, CustomParser = OptionValues.WholeNumber(1), HelpName = "N" };
        var metrics = new Option<int>("--metrics") { Description = "The most metrics to chart, the most frequent first.", DefaultValueFactory = _ => 12, CustomParser = OptionValues.WholeNumber(0), HelpName = "N" };
        var command = new Command("report", "Writes a self-contained HTML report: events per level, metric percentiles, top templates and exceptions, recent errors.");
        database.AddTo(command);
        time.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(top);
        command.Options.Add(metrics);

        command.SetAction(async (result, cancellationToken) =>
        {
            using var db = database.Open(result);
            var (since, until) = time.Resolve(result, DateTimeOffset.UtcNow);
            var path = Path.GetFullPath(result.GetRequiredValue(output));
            await console.StatusAsync("Reading the database for the report", async () =>
            {
                var data = ReportData.Read(db, since, until, result.GetValue(top), result.GetValue(metrics), cancellationToken);
                await using (var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
                    ReportPage.Write(writer, data, new TimeFormat(result.GetValue(utc)));
                return path;
            }).ConfigureAwait(false);
            console.Out.WriteLine($"Wrote {path} ({Numbers.Bytes(new FileInfo(path).Length)})");
            return ExitCodes.Success;
        });
        return command;
    }
}
