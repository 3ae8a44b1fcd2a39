namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// The running totals shared by the logging threads that queue rows and the writer that writes them, and the count of
/// events accepted but not yet written or discarded, which is what bounds the queue.
/// </summary>
sealed class SinkCounters
{
    long _logsWritten;
    long _metricsWritten;
    long _refused;
    long _discarded;
    int _queued;
    int _waiters;
    readonly object _roomSignal = new();

    public long LogsWritten => Interlocked.Read(ref _logsWritten);
    public long MetricsWritten => Interlocked.Read(ref _metricsWritten);
    /// <summary>Events refused because the queue was full, and events dropped unwritten: given up at the retry time limit, refused by the database, or lost at close.</summary>
    public long Dropped => Refused + Interlocked.Read(ref _discarded);
    public long Refused => Interlocked.Read(ref _refused);
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Takes a place in the queue if fewer than <paramref name="limit"/> events are waiting.</summary>
    public bool TryEnter(int limit)
    {
        if (Interlocked.Increment(ref _queued) <= limit)
            return true;

        Release(1);
        return false;
    }

    /// <summary>Waits for a place in the queue; false when <paramref name="isClosed"/> turns true first.</summary>
    public bool Enter(int limit, Func<bool> isClosed)
    {
        while (!TryEnter(limit))
        {
            lock (_roomSignal)
            {
                // Counted before the check below, and with a full fence, so Release cannot miss this waiter.
                Interlocked.Increment(ref _waiters);
                try
                {
                    while (Queued >= limit && !isClosed())
                        Monitor.Wait(_roomSignal, TimeSpan.FromMilliseconds(100));
                }
                finally
                {
                    Interlocked.Decrement(ref _waiters);
                }
            }

            if (isClosed())
                return false;
        }

        return true;
    }

    public void Written(int logs, int metrics)
    {
        Interlocked.Add(ref _logsWritten, logs);
        Interlocked.Add(ref _metricsWritten, metrics);
        Release(logs + metrics);
    }

    /// <summary>Counts events discarded after they had a place in the queue.</summary>
    public void Discarded(int count)
    {
        Interlocked.Add(ref _discarded, count);
        Release(count);
    }

    /// <summary>Counts an event refused because the queue was full.</summary>
    public void Refuse() => Interlocked.Increment(ref _refused);

    public void WakeAll()
    {
        lock (_roomSignal)
            Monitor.PulseAll(_roomSignal);
    }

    void Release(int count)
    {
        Interlocked.Add(ref _queued, -count);
        if (Volatile.Read(ref _waiters) > 0)
            WakeAll();
    }
}
