using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// Copies a live database with <c>VACUUM INTO</c>: one statement that reads one snapshot, so the sink can keep writing
/// (under WAL it is never blocked) and the copy is consistent. The online backup API would restart each time the sink
/// commits between two of its steps; <c>VACUUM INTO</c> cannot be made to start over, and it can be interrupted.
/// </summary>
static class DatabaseBackup
{
    public static string ResolveTarget(string destinationPath, string? sourcePath)
    {
        if (string.IsNullOrWhiteSpace(destinationPath))
            throw new ArgumentException("The backup path is empty; give a new file name, such as \"logs-backup.db\".", nameof(destinationPath));

        var fullPath = UserPath.ToFull(destinationPath, "backup path", nameof(destinationPath));

        if (string.Equals(fullPath, sourcePath, StringComparison.Ordinal))
            throw new ArgumentException($"The backup path '{fullPath}' is the database itself; give a new file.", nameof(destinationPath));
        if (File.Exists(fullPath) || Directory.Exists(fullPath))
            throw new ArgumentException(
                $"'{fullPath}' already exists. A backup is written to a new file only, so that nothing is overwritten; " +
                "delete it first or choose another name.", nameof(destinationPath));
        return fullPath;
    }

    public static void VacuumInto(DatabaseFile source, string targetPath, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Path.GetDirectoryName(targetPath) is { Length: > 0 } directory)
            Directory.CreateDirectory(directory);

        using var connection = source.Open();
        using var interrupt = QueryInterruption.Interrupts(connection, cancellationToken);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "VACUUM INTO @target";
            command.Parameters.AddWithValue("@target", targetPath);
            command.ExecuteNonQuery();
        }
        catch (Exception ex)
        {
            // The file did not exist before; an unfinished copy must not be mistaken for a backup.
            TryDelete(targetPath);
            if (ex is SQLiteException sqlite && QueryInterruption.WasInterrupted(sqlite, cancellationToken))
                throw new OperationCanceledException("The backup was cancelled.", ex, cancellationToken);
            throw;
        }
    }

    static void TryDelete(string path)
    {
        foreach (var file in new[] { path, path + "-journal", path + "-wal", path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort: the original error is what the caller needs to see.
            }
        }
    }
}
