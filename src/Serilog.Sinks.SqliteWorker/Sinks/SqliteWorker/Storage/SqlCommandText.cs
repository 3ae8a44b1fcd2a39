using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>For statements run one after another on one command.</summary>
static class SqlCommandText
{
    /// <summary>
    /// Sets the command's SQL, with none of the parameters bound for the last statement: a parameter left over would
    /// bind a stale value to the next statement that names it.
    /// </summary>
    public static void SetSql(this SQLiteCommand command, string sql)
    {
        command.CommandText = sql;
        command.Parameters.Clear();
    }
}
