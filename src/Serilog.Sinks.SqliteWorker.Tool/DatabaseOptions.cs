using System.CommandLine;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>The database argument every command takes, and the table names for a sink configured with other ones.</summary>
sealed class DatabaseOptions
{
    readonly Argument<string> _path = new("DB") { Description = "The SQLite file written by WriteTo.SqliteWorker(), as a path or a file: URI." };

    readonly Option<string> _logsTable = new("--logs-table")
    {
        Description = "The logs table, if the sink was given logsTableName.",
        DefaultValueFactory = _ => "logs",
        HelpName = "NAME",
    };

    readonly Option<string> _metricsTable = new("--metrics-table")
    {
        Description = "The metrics table, if the sink was given metricsTableName.",
        DefaultValueFactory = _ => "metrics",
        HelpName = "NAME",
    };

    public void AddTo(Command command)
    {
        command.Arguments.Add(_path);
        command.Options.Add(_logsTable);
        command.Options.Add(_metricsTable);
    }

    public string Path(ParseResult result) => result.GetRequiredValue(_path);

    public string LogsTable(ParseResult result) => result.GetRequiredValue(_logsTable);

    public string MetricsTable(ParseResult result) => result.GetRequiredValue(_metricsTable);

    /// <summary>Opens the database read-only; a missing file, a non-database or a wrong table name throws, and becomes an exit code.</summary>
    public SqliteWorkerDatabase Open(ParseResult result)
    {
        try
        {
            return SqliteWorkerDatabase.Open(Path(result), result.GetRequiredValue(_logsTable), result.GetRequiredValue(_metricsTable));
        }
        catch (ArgumentException ex) when (ex.ParamName is "logsTableName" or "metricsTableName")
        {
            // The helper names its parameters; here the user typed options.
            throw new ArgumentException(ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal)
                .Replace("logsTableName", "--logs-table", StringComparison.Ordinal)
                .Replace("metricsTableName", "--metrics-table", StringComparison.Ordinal), ex);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException(ex.Message.Replace(
                "If the sink was configured with logsTableName or metricsTableName, pass the same names here.",
                "If the sink was given logsTableName or metricsTableName, give the same names with --logs-table and --metrics-table.",
                StringComparison.Ordinal), ex);
        }
    }
}
