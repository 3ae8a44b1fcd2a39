using System.Runtime.ExceptionServices;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// A thread of the sink's own that renders the next chunk of a batch while the writer inserts the current one, so that
/// the writer's thread spends its time in SQLite. It renders one chunk at a time, handed over by <see cref="Start"/>
/// and collected by <see cref="Wait"/>, both called from the writer's thread.
/// </summary>
/// <remarks>
/// A thread rather than thread-pool work: the writer blocks until the chunk is ready, and blocking a pool thread on
/// another pool item can wait for the pool to grow.
/// </remarks>
sealed class RenderAhead : IDisposable
{
    readonly SemaphoreSlim _started = new(0, 1);
    readonly SemaphoreSlim _finished = new(0, 1);
    readonly Thread _thread;

    BatchRenderer? _renderer;
    IReadOnlyList<LogEvent>? _events;
    int _first;
    int _taken;
    ExceptionDispatchInfo? _error;
    bool _busy;
    volatile bool _stopping;

    public RenderAhead(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Starts rendering a chunk of <paramref name="events"/> from <paramref name="first"/> into <paramref name="renderer"/>.</summary>
    public void Start(BatchRenderer renderer, IReadOnlyList<LogEvent> events, int first)
    {
        if (_busy)
            throw new InvalidOperationException("The previous chunk has not been collected.");

        _renderer = renderer;
        _events = events;
        _first = first;
        _busy = true;
        _started.Release();
    }

    /// <summary>Waits for the chunk started last; returns how many events it took, or throws what rendering threw.</summary>
    public int Wait()
    {
        _finished.Wait();
        _busy = false;
        _renderer = null;
        _events = null;
        var error = _error;
        _error = null;
        error?.Throw();
        return _taken;
    }

    /// <summary>Waits for a chunk still being rendered, if any, so that the batch and the renderer are free again.</summary>
    public void WaitIfBusy()
    {
        if (!_busy)
            return;

        try
        {
            Wait();
        }
        catch
        {
            // The batch has failed already; what rendering threw adds nothing to that.
        }
    }

    void Run()
    {
        while (true)
        {
            _started.Wait();
            if (_stopping)
                return;

            try
            {
                _taken = _renderer!.Render(_events!, _first);
            }
            catch (Exception ex)
            {
                _error = ExceptionDispatchInfo.Capture(ex);
            }

            _finished.Release();
        }
    }

    public void Dispose()
    {
        WaitIfBusy();
        _stopping = true;
        _started.Release();
        _thread.Join();
        _started.Dispose();
        _finished.Dispose();
    }
}
