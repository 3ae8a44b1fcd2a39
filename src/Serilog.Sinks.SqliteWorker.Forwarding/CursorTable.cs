using System.Data.SQLite;
using System.Globalization;

namespace Serilog.Sinks.SqliteWorker.Forwarding;

/// <summary>Where one destination stands in one table, as the cursor table stores it.</summary>
/// <param name="LastId">The id of the last row the destination accepted; rows after it are pending.</param>
/// <param name="Forwarded">Rows the destination accepted.</param>
/// <param name="Rejected">Rows the destination answered for but rejected (OTLP partial success, or a request it could not read).</param>
/// <param name="NeverForwarded">Rows deleted from the file (by retention or the size limit) before they were sent.</param>
/// <param name="Updated">When the cursor last moved, as UTC text, or null if it never has.</param>
sealed record CursorPosition(long LastId, long Forwarded, long Rejected, long NeverForwarded, string? Updated)
{
    public static readonly CursorPosition Start = new(0, 0, 0, 0, null);
}

/// <summary>
/// The forwarders' own tables in the database: <c>forwarding_cursors</c>, one row per destination and table, and
/// <c>forwarding_source</c>, one row holding the database's identity (a random id made once), which with a row's id
/// names that row to any receiver. The sink and the query helper look only at their own tables, so these are left alone
/// by both; a cursor moves in a transaction of its own, after the destination has accepted the rows.
/// </summary>
static class CursorTable
{
    public const string Name = "forwarding_cursors";
    public const string SourceName = "forwarding_source";

    const string CreateSql =
        $"CREATE TABLE IF NOT EXISTS {Name} (destination TEXT NOT NULL, table_name TEXT NOT NULL, last_id INTEGER NOT NULL, " +
        "forwarded INTEGER NOT NULL, rejected INTEGER NOT NULL, never_forwarded INTEGER NOT NULL, updated TEXT NOT NULL, " +
        "PRIMARY KEY (destination, table_name)) WITHOUT ROWID;" +
        $"CREATE TABLE IF NOT EXISTS {SourceName} (source_id TEXT NOT NULL);";

    /// <summary>Creates the tables when missing, and returns the database's identity, made on first use.</summary>
    public static string Prepare(SQLiteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText = CreateSql;
        command.ExecuteNonQuery();
        command.CommandText = $"SELECT source_id FROM {SourceName} LIMIT 1";
        if (command.ExecuteScalar() is string existing)
        {
            transaction.Commit();
            return existing;
        }

        var made = Guid.NewGuid().ToString("n");
        command.CommandText = $"INSERT INTO {SourceName} (source_id) VALUES (@id)";
        command.Parameters.AddWithValue("@id", made);
        command.ExecuteNonQuery();
        transaction.Commit();
        return made;
    }

    public static bool Exists(SQLiteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @name";
        command.Parameters.AddWithValue("@name", Name);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    public static CursorPosition Read(SQLiteConnection connection, string destination, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT last_id, forwarded, rejected, never_forwarded, updated FROM {Name} " +
                              "WHERE destination = @destination AND table_name = @table";
        command.Parameters.AddWithValue("@destination", destination);
        command.Parameters.AddWithValue("@table", table);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new CursorPosition(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4))
            : CursorPosition.Start;
    }

    /// <summary>Every destination's cursors, for status reports.</summary>
    public static IReadOnlyList<(string Destination, string Table, CursorPosition Position)> ReadAll(SQLiteConnection connection)
    {
        var all = new List<(string, string, CursorPosition)>();
        if (!Exists(connection))
            return all;
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT destination, table_name, last_id, forwarded, rejected, never_forwarded, updated FROM {Name} " +
                              "ORDER BY destination, table_name";
        using var reader = command.ExecuteReader();
        while (reader.Read())
            all.Add((reader.GetString(0), reader.GetString(1),
                new CursorPosition(reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetString(6))));
        return all;
    }

    public static void Write(SQLiteConnection connection, string destination, string table, CursorPosition position)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {Name} (destination, table_name, last_id, forwarded, rejected, never_forwarded, updated) " +
                              "VALUES (@destination, @table, @last, @forwarded, @rejected, @never, @updated) " +
                              "ON CONFLICT (destination, table_name) DO UPDATE SET last_id = excluded.last_id, " +
                              "forwarded = excluded.forwarded, rejected = excluded.rejected, " +
                              "never_forwarded = excluded.never_forwarded, updated = excluded.updated";
        command.Parameters.AddWithValue("@destination", destination);
        command.Parameters.AddWithValue("@table", table);
        command.Parameters.AddWithValue("@last", position.LastId);
        command.Parameters.AddWithValue("@forwarded", position.Forwarded);
        command.Parameters.AddWithValue("@rejected", position.Rejected);
        command.Parameters.AddWithValue("@never", position.NeverForwarded);
        command.Parameters.AddWithValue("@updated", position.Updated ?? TimestampText.Format(DateTimeOffset.UtcNow));
        command.ExecuteNonQuery();
    }
}
