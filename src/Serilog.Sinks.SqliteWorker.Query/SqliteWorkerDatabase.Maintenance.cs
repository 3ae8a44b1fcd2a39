namespace Serilog.Sinks.SqliteWorker.Query;

// The calls about the file and copies of its rows: exports, backup, size and pruning. All but the size open a
// connection of their own, so that they do not hold up the reports.
public sealed partial class SqliteWorkerDatabase
{
    /// <summary>
    /// Writes the log rows matching <paramref name="filter"/>, oldest first, to <paramref name="destination"/> as CSV or
    /// JSON Lines. Rows are streamed from one consistent snapshot on a connection of their own, so memory use stays
    /// constant however many rows there are. In JSON Lines, a row whose properties column is not a readable JSON object
    /// (see <see cref="LogRecord.Properties"/>) has it as a JSON string of the raw text.
    /// </summary>
    /// <param name="destination">The stream to write UTF-8 text to; it is flushed, not closed.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="filter">Which rows; null for all.</param>
    /// <param name="progress">Told the number of rows written so far, every 10,000 rows and at the end; or null.</param>
    /// <param name="cancellationToken">Stops the export; what was written so far stays in <paramref name="destination"/>.</param>
    /// <returns>The number of rows written.</returns>
    /// <exception cref="ArgumentException">An argument is not valid; the message says what is wrong.</exception>
    public Task<long> ExportLogsAsync(Stream destination, ExportFormat format, LogFilter? filter = null,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckExport(destination, format);
        filter?.Validate(nameof(filter));
        var where = _logs.Where(filter, DateTimeOffset.UtcNow);
        return RowExport.WriteAsync(_file, _logs.ExportSelect(where), where, RowExport.LogColumns, destination, format, progress,
            cancellationToken);
    }

    /// <summary>
    /// Writes the metric rows matching <paramref name="filter"/>, oldest first, to <paramref name="destination"/> as CSV
    /// or JSON Lines; see <see cref="ExportLogsAsync"/>.
    /// </summary>
    /// <param name="destination">The stream to write UTF-8 text to; it is flushed, not closed.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="filter">Which rows; null for all.</param>
    /// <param name="progress">Told the number of rows written so far, every 10,000 rows and at the end; or null.</param>
    /// <param name="cancellationToken">Stops the export; what was written so far stays in <paramref name="destination"/>.</param>
    /// <returns>The number of rows written.</returns>
    /// <exception cref="ArgumentException">An argument is not valid; the message says what is wrong.</exception>
    public Task<long> ExportMetricsAsync(Stream destination, ExportFormat format, MetricFilter? filter = null,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckExport(destination, format);
        filter?.Validate(nameof(filter));
        var where = _metrics.Where(filter, DateTimeOffset.UtcNow);
        return RowExport.WriteAsync(_file, _metrics.ExportSelect(where), where, RowExport.MetricColumns, destination, format,
            progress, cancellationToken);
    }

    /// <summary>
    /// Writes a consistent copy of the database to a new file with SQLite's <c>VACUUM INTO</c>, which reads one
    /// snapshot and so is safe while the sink writes; the copy is also compacted. A live database is never copied as
    /// a file, which could catch it half-written or miss what is still in its WAL.
    /// </summary>
    /// <param name="destinationPath">The new file. It must not exist yet; a missing folder is created.</param>
    /// <param name="cancellationToken">Interrupts the copy; the unfinished file is deleted.</param>
    /// <exception cref="ArgumentException">The path is empty, not valid, or names a file that exists.</exception>
    public void Backup(string destinationPath, CancellationToken cancellationToken = default)
    {
        var target = DatabaseBackup.ResolveTarget(destinationPath, _file.FilePath);
        ObjectDisposedException.ThrowIf(_disposed, this);
        DatabaseBackup.VacuumInto(_file, target, cancellationToken);
    }

    /// <summary>
    /// The size of the database file, of its write-ahead log, and of the free pages inside it: what <c>ls</c> would show,
    /// and how much of it <c>VACUUM</c> could give back.
    /// </summary>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>The sizes, in bytes.</returns>
    public DatabaseFileSize GetFileSize(CancellationToken cancellationToken = default)
    {
        var freeBytes = Run(cancellationToken, connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT freelist_count * page_size FROM pragma_freelist_count(), pragma_page_size()";
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        });
        if (_file.FilePath is not { } path)
        {
            // An in-memory database has no file and no WAL: its size is its pages.
            var pages = Run(cancellationToken, connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";
                return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            });
            return new DatabaseFileSize { FileBytes = pages, WalBytes = 0, FreeBytes = freeBytes };
        }

        var wal = new FileInfo(path + "-wal");
        return new DatabaseFileSize { FileBytes = new FileInfo(path).Length, WalBytes = wal.Exists ? wal.Length : 0, FreeBytes = freeBytes };
    }

    /// <summary>
    /// Deletes the log and metric rows older than <paramref name="cutoff"/>: the one call that writes. It opens a
    /// read-write connection of its own and deletes in transactions of a few thousand rows, so that a sink writing to
    /// the same file waits for one short transaction at a time, never for the whole purge. The file does not shrink:
    /// the freed pages are reused by new rows (see <see cref="GetFileSize"/>).
    /// </summary>
    /// <param name="cutoff">Rows with a timestamp before this time are deleted.</param>
    /// <param name="cancellationToken">Stops between transactions (or interrupts the running one); rows deleted
    /// before that stay deleted.</param>
    /// <returns>How many rows were deleted from each table.</returns>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written to.</exception>
    public PruneResult DeleteOlderThan(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var logs = DatabasePrune.DeleteOlderThan(_file, _logs.Table, cutoff, cancellationToken);
        var metrics = DatabasePrune.DeleteOlderThan(_file, _metrics.Table, cutoff, cancellationToken);
        return new PruneResult { LogsDeleted = logs, MetricsDeleted = metrics };
    }

    static void CheckExport(Stream destination, ExportFormat format)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
            throw new ArgumentException("The destination stream cannot be written to.", nameof(destination));
        if (!Enum.IsDefined(format))
            throw new ArgumentException($"format {(int)format} is not an ExportFormat; use Csv or JsonLines.", nameof(format));
    }
}
