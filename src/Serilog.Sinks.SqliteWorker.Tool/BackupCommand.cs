using System.CommandLine;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary><c>backup DB COPY</c>: a consistent copy, safe while the sink writes, through the helper's <c>VACUUM INTO</c>.</summary>
static class BackupCommand
{
    public static Command Create(ToolConsole console)
    {
        var database = new DatabaseOptions();
        var copy = new Argument<string>("COPY") { Description = "The new file to write; it must not exist." };
        var command = new Command("backup", "Writes a consistent, compacted copy of the database, safe while the sink writes.");
        database.AddTo(command);
        command.Arguments.Add(copy);

        command.SetAction((result, cancellationToken) =>
        {
            using var db = database.Open(result);
            var path = Path.GetFullPath(result.GetRequiredValue(copy));
            console.Status($"Backing up to {path}", () =>
            {
                db.Backup(path, cancellationToken);
                return path;
            });
            console.Out.WriteLine($"Backed up {db.DatabasePath} to {path} ({Numbers.Bytes(new FileInfo(path).Length)})");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
