using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker.Tests.Support;

/// <summary>Reads a database the sink wrote, on a connection of the test's own.</summary>
static class Database
{
    public static List<Dictionary<string, object?>> Query(string path, string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString);
        connection.Open();
        return Query(connection, sql, parameters);
    }

    public static List<Dictionary<string, object?>> Query(SQLiteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);

        var rows = new List<Dictionary<string, object?>>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < reader.FieldCount; i++)
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }

        return rows;
    }

    public static object? Scalar(string path, string sql, params (string Name, object? Value)[] parameters) =>
        Query(path, sql, parameters).Single().Values.Single();

    public static long Count(string path, string table) => (long)Scalar(path, $"SELECT COUNT(*) FROM \"{table}\"")!;

    /// <summary>The count a query returns, or -1 while the sink has not created the table yet.</summary>
    public static long CountOrMissing(string path, string sql)
    {
        try
        {
            return (long)Scalar(path, sql)!;
        }
        catch (SQLiteException)
        {
            return -1;
        }
    }

    /// <summary>The bytes of the file in use: its pages less the free ones.</summary>
    public static long UsedBytes(string path) =>
        (long)Scalar(path, "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()")!;
}
