using System.Data.SQLite;
using Microsoft.AspNetCore.Http;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker.Viewer;

/// <summary>
/// The query helper for one file, opened on first use: an app may map the view before its sink has made the file.
/// Queries run one at a time, each bounded by the request's cancellation and the query timeout.
/// </summary>
sealed class ViewerDatabase(string databasePath, SqliteWorkerViewerOptions options) : IDisposable
{
    readonly SemaphoreSlim _gate = new(1, 1);
    SqliteWorkerDatabase? _db;
    bool _disposed;

    public string DatabasePath => databasePath;

    /// <summary>Runs one query, waiting its turn without holding a thread; throws <see cref="ViewerException"/> with a status for the client.</summary>
    public async Task<T> RunAsync<T>(Func<SqliteWorkerDatabase, CancellationToken, T> query, CancellationToken requestAborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        timeout.CancelAfter(options.QueryTimeout);
        try
        {
            await _gate.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                // The helper answers synchronously; on a thread of its own a long query leaves the pool free for the
                // timer that interrupts it and for the other requests.
                return await Task.Factory.StartNew(() => query(Open(), timeout.Token), CancellationToken.None,
                    TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            throw new ViewerException(StatusCodes.Status503ServiceUnavailable,
                $"The query took longer than {options.QueryTimeout.TotalSeconds:0.#} s and was stopped. Narrow it with a level or a time range.");
        }
        catch (ArgumentException ex)
        {
            throw new ViewerException(StatusCodes.Status400BadRequest, ex.ParamName == null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal));
        }
        catch (SQLiteException ex)
        {
            throw new ViewerException(StatusCodes.Status503ServiceUnavailable, $"The database could not be read: {ex.Message.Split('\n', 2)[0].Trim()}");
        }
    }

    /// <summary>The helper's live tail, on a connection of its own; opening the file is the only shared step.</summary>
    public async Task<IAsyncEnumerable<LogRecord>> TailAsync(long? afterId, LogFilter filter, CancellationToken cancellationToken) =>
        await RunAsync((db, token) => db.TailLogsAsync(afterId, filter, options.PollInterval, cancellationToken), cancellationToken).ConfigureAwait(false);

    SqliteWorkerDatabase Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_db != null)
            return _db;
        try
        {
            return _db = SqliteWorkerDatabase.Open(databasePath, options.LogsTableName, options.MetricsTableName);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            // The sink makes the file and its tables with its first batch; until then there is nothing to show.
            throw new ViewerException(StatusCodes.Status503ServiceUnavailable, ex.Message);
        }
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            _disposed = true;
            _db?.Dispose();
            _db = null;
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>A request the viewer answers with an error status and a message for the page to show.</summary>
sealed class ViewerException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
