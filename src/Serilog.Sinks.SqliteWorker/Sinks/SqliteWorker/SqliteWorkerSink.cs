using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// The sink as the logger sees it. Each event is rendered into its row on the thread that logs it and queued, and a
/// thread of the sink's own writes the queue in batches, with the contract of Serilog's batching: a batch is written
/// when it is full or when the buffering time has passed, the first event at once, a failed batch again after a
/// growing pause until the retry time limit, and what is queued when the sink is disposed before it closes.
/// <see cref="RowQueue"/> holds the rows, <see cref="BatchWriter"/> writes each batch, and <see cref="Housekeeping"/>
/// runs between batches.
/// </summary>
/// <remarks>
/// Serilog's batching queues the events themselves until the writer renders them, so every queued event survives the
/// collections that happen while it waits; rows queued as text in reused arrays avoid that cost (docs/performance.md
/// measures both). Unlike Serilog's queue, this one never drops an event unseen: a full queue refuses events, counted
/// and reported, or makes the caller wait for room.
/// </remarks>
sealed class SqliteWorkerSink : ILogEventSink, IDisposable, IAsyncDisposable, ISetLoggingFailureListener
{
    // The pauses between attempts after failures, as Serilog 4's batching has them: the buffering time after the first
    // failure, then doubling from at least 5 seconds, up to 1 minute; but never past the retry time limit, so that a
    // batch is given up when the limit says, not minutes later.
    static readonly TimeSpan MinimumBackoff = TimeSpan.FromSeconds(5);
    static readonly TimeSpan MaximumBackoff = TimeSpan.FromMinutes(1);

    readonly BatchWriter _writer;
    readonly Housekeeping _housekeeping;
    readonly RowQueue _queue;
    readonly RowBatch _batch = new();
    readonly SinkCounters _counters;
    readonly FailureReporter _failures;
    readonly int _queueLimit;
    readonly bool _blockWhenFull;
    readonly int _batchSizeLimit;
    readonly TimeSpan _bufferingTimeLimit;
    readonly bool _eagerlyEmitFirstEvent;
    readonly TimeSpan _retryTimeLimit;
    readonly Func<bool> _isClosed;
    readonly SemaphoreSlim _wake = new(0);
    readonly Thread _thread;
    readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    volatile bool _closed;
    // Set when a write failed after the close began: that was the queue's attempt at close, and it is not made twice.
    bool _failedWhileClosing;
    // Set while the writer waits for the first event, which it writes at once.
    volatile bool _wantsFirstRow;
    int _wakePending;
    int _disposed;

    /// <param name="options">The sink's options, validated.</param>
    /// <param name="location">Where the file is.</param>
    /// <param name="batching">The batching options, validated.</param>
    /// <param name="queueLimit">The most events queued at once: <see cref="BatchingOptions.QueueLimit"/>, or the sink's default when that is null.</param>
    /// <param name="counters">Counts what the sink queues, writes and drops.</param>
    public SqliteWorkerSink(SqliteWorkerSinkOptions options, DatabaseLocation location, BatchingOptions batching, int queueLimit,
        SinkCounters counters)
    {
        _counters = counters;
        _failures = new FailureReporter(counters, queueLimit, sender: this);
        _writer = new BatchWriter(options, location, counters, _failures);
        _queue = _writer.CreateQueue();
        _housekeeping = new Housekeeping(_writer, RetentionPolicy.Create(options, _writer.Logs, _writer.Metrics, location, _failures),
            options.OnBatchWritten, counters, _failures, batching.BatchSizeLimit);
        _queueLimit = queueLimit;
        _blockWhenFull = options.BlockWhenFull;
        _batchSizeLimit = batching.BatchSizeLimit;
        _bufferingTimeLimit = batching.BufferingTimeLimit;
        _eagerlyEmitFirstEvent = batching.EagerlyEmitFirstEvent;
        _retryTimeLimit = batching.RetryTimeLimit;
        _isClosed = () => _closed;

        // A thread of its own rather than the thread pool's: every batch blocks on the disk.
        _thread = new Thread(Run) { IsBackground = true, Name = $"{this} writer" };
        _thread.UnsafeStart();
    }

    public void Emit(LogEvent logEvent)
    {
        if (_closed)
            return;

        if (!_counters.TryEnter(_queueLimit))
        {
            if (!_blockWhenFull)
            {
                _counters.Refuse();
                _failures.ReportQueueFullIfDue();
                return;
            }

            // Closed while waiting: the sink takes no more events, and this one counts as dropped.
            if (!_counters.Enter(_queueLimit, _isClosed))
            {
                _counters.Refuse();
                return;
            }
        }

        int waiting;
        try
        {
            waiting = _queue.Add(logEvent);
        }
        catch (Exception ex)
        {
            // Rendering guards against the user code it runs; this is for anything else, which must not reach the caller.
            _counters.Discarded(1);
            _failures.Report(LoggingFailureKind.Permanent,
                $"an event with the template \"{logEvent.MessageTemplate.Text}\" could not be queued and was dropped: {ex.Message}",
                [logEvent], ex);
            return;
        }

        if (waiting >= _batchSizeLimit || _wantsFirstRow)
            Wake();
    }

    void Wake()
    {
        if (Volatile.Read(ref _wakePending) == 0 && Interlocked.Exchange(ref _wakePending, 1) == 0)
            _wake.Release();
    }

    void Run()
    {
        try
        {
            WriteUntilClosed();
            WriteWhatIsLeft();
        }
        catch (Exception ex)
        {
            // Not expected: writing failures are caught in the loop. Closing makes callers that wait for room carry on.
            _closed = true;
            _counters.WakeAll();
            _failures.Report(LoggingFailureKind.Final, "the writer stopped unexpectedly; events still queued, and every later one, are dropped", null, ex);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    void WriteUntilClosed()
    {
        var eager = _eagerlyEmitFirstEvent;
        var failures = 0;
        long firstFailure = 0;
        while (!_closed)
        {
            WaitForBatch(failures == 0 ? _bufferingTimeLimit : NextAttemptIn(failures, firstFailure), eager, failures > 0);
            if (_closed)
                return;

            // A batch that failed is tried again as it was.
            if (_batch.Count == 0)
                _queue.Take(_batchSizeLimit, _batch);
            if (_batch.Count == 0)
            {
                _housekeeping.NothingWaiting();
                continue;
            }

            WrittenBatch? written = null;
            try
            {
                written = _writer.Write(_batch);
                _queue.Release(_batch);
                failures = 0;
                eager = false;
            }
            catch (Exception ex)
            {
                if (_closed)
                {
                    _failedWhileClosing = true;
                    DropQueued($"writing a batch of {Events(_batch.Count)} failed as the sink was being closed, and it is lost", ex);
                    return;
                }

                if (failures++ == 0)
                    firstFailure = Environment.TickCount64;
                var events = _batch.RebuildEvents();
                var givingUp = Environment.TickCount64 - firstFailure >= _retryTimeLimit.TotalMilliseconds;
                _failures.Report(LoggingFailureKind.Temporary,
                    $"writing a batch of {Events(events.Length)} failed{(givingUp ? "" : $"; it will be tried again in {NextAttemptIn(failures, firstFailure)}")}",
                    events, ex);
                if (givingUp)
                {
                    // The next batch has a retry time of its own.
                    failures = 0;
                    _queue.Release(_batch);
                    _counters.Discarded(events.Length);
                    _failures.Report(LoggingFailureKind.Permanent,
                        $"a batch of {Events(events.Length)} could not be written for {_retryTimeLimit} (the retry time limit) and was dropped",
                        events, ex);
                }
            }

            if (written != null)
                _housekeeping.BatchWritten(written.Value);
        }
    }

    /// <summary>
    /// Waits until a batch is full, the first event has come when it is to be written at once, the interval has passed,
    /// or the sink is closing. After a failure the whole interval is waited out, so that a busy or full disk is given time.
    /// </summary>
    void WaitForBatch(TimeSpan interval, bool eager, bool backingOff)
    {
        // No overflow: TimeSpan.MaxValue is about 9.2e14 ms, and a long holds 9.2e18.
        var deadline = Environment.TickCount64 + (long)interval.TotalMilliseconds;
        _wantsFirstRow = eager && !backingOff;
        try
        {
            while (!_closed)
            {
                if (!backingOff && IsBatchReady(eager))
                    return;

                var remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                    return;

                // Cleared before the check that follows, so that a producer that fills the batch in between wakes the wait.
                Volatile.Write(ref _wakePending, 0);
                if (!backingOff && IsBatchReady(eager))
                    return;
                _wake.Wait((int)Math.Min(remaining, int.MaxValue));
            }
        }
        finally
        {
            _wantsFirstRow = false;
        }
    }

    bool IsBatchReady(bool eager)
    {
        var waiting = _queue.Count;
        return waiting >= _batchSizeLimit || (eager && waiting > 0);
    }

    TimeSpan NextAttemptIn(int failures, long firstFailure)
    {
        var untilLimit = _retryTimeLimit - TimeSpan.FromMilliseconds(Environment.TickCount64 - firstFailure);
        return TimeSpan.FromTicks(Math.Max(TimeSpan.Zero.Ticks, Math.Min(PauseAfter(failures, _bufferingTimeLimit).Ticks, untilLimit.Ticks)));
    }

    /// <summary>The pause before the next attempt after <paramref name="failures"/> failures in a row, before the retry time limit caps it.</summary>
    internal static TimeSpan PauseAfter(int failures, TimeSpan bufferingTimeLimit) =>
        failures <= 1
            ? bufferingTimeLimit
            : TimeSpan.FromTicks(Math.Max(bufferingTimeLimit.Ticks, (long)Math.Min(MaximumBackoff.Ticks,
                Math.Max(bufferingTimeLimit.Ticks, MinimumBackoff.Ticks) * Math.Pow(2, failures - 1))));

    /// <summary>
    /// At close: writes what is queued, the batch that last failed first, with one attempt each; once an attempt fails,
    /// that batch and everything behind it are reported as lost. So closing takes at most the time to write the queue and
    /// one busy timeout, even against a file another process keeps locked.
    /// </summary>
    void WriteWhatIsLeft()
    {
        if (_failedWhileClosing)
            return;

        var retrying = _batch.Count > 0;
        while (true)
        {
            if (_batch.Count == 0)
                _queue.Take(_batchSizeLimit, _batch);
            if (_batch.Count == 0)
                return;

            WrittenBatch? written;
            try
            {
                written = _writer.Write(_batch);
                _queue.Release(_batch);
                retrying = false;
            }
            catch (Exception ex)
            {
                DropQueued(retrying
                    ? $"the last batch that failed, {Events(_batch.Count)}, failed again when the sink was closed and is lost"
                    : $"writing a batch of {Events(_batch.Count)} failed when the sink was closed, and it is lost", ex);
                return;
            }

            if (written != null)
                _housekeeping.BatchWritten(written.Value);
        }
    }

    /// <summary>Reports every queued row as lost, the taken batch first, and counts them.</summary>
    void DropQueued(string message, Exception? exception)
    {
        var first = true;
        while (true)
        {
            if (_batch.Count == 0)
                _queue.Take(_batchSizeLimit, _batch);
            if (_batch.Count == 0)
                return;

            var events = _batch.RebuildEvents();
            _queue.Release(_batch);
            _counters.Discarded(events.Length);
            _failures.Report(LoggingFailureKind.Final,
                first ? message : $"{Events(events.Length)} still queued when the sink was closed are lost", events, exception);
            first = false;
        }
    }

    public void SetFailureListener(ILoggingFailureListener failureListener)
    {
        ArgumentNullException.ThrowIfNull(failureListener);
        _failures.Listener = failureListener;
    }

    public void Dispose()
    {
        if (!Close())
            return;

        _thread.Join();
        Stopped();
    }

    public async ValueTask DisposeAsync()
    {
        if (!Close())
            return;

        await _stopped.Task.ConfigureAwait(false);
        _thread.Join();
        Stopped();
    }

    /// <summary>Tells the writer and any waiting callers that the sink is closing; false when it already was.</summary>
    bool Close()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return false;

        _closed = true;
        _counters.WakeAll();
        _wake.Release();
        return true;
    }

    void Stopped()
    {
        // An event whose Emit raced the close can arrive after the writer's last batch: reported, not kept unseen.
        DropQueued("an event logged while the sink was closing was not written", null);
        _writer.Dispose();
        _queue.Dispose();
        // _wake is not disposed: a caller racing the close may still signal it, and Emit must not throw. Without a wait
        // handle asked of it, it holds nothing the collector cannot take.
        _failures.ReportQueueFull();
        _failures.ReportUnusableIfDue(due: true);
    }

    static string Events(int count) => count == 1 ? "1 event" : $"{count} events";

    public override string ToString() => _writer.ToString();
}
