using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// The events of the last batch that failed, until Serilog's retry writes them or Serilog drops them. Serilog retries a
/// failed batch, but at shutdown it only flushes while its queue holds events: a batch that failed just before the
/// logger was disposed, with nothing queued behind it, would be abandoned unreported. The sink tries these once more
/// when it is disposed. They are copies of the references: Serilog reuses the batch collection.
/// </summary>
sealed class FailedBatch
{
    readonly Lock _lock = new();
    LogEvent[]? _events;

    public void Keep(IReadOnlyCollection<LogEvent> batch)
    {
        var events = batch.ToArray();
        lock (_lock)
            _events = events;
    }

    /// <summary>A later batch was written: it was the retry of this one, or Serilog had dropped this one before it.</summary>
    public void Forget()
    {
        lock (_lock)
            _events = null;
    }

    /// <summary>Forgets the kept events when <paramref name="dropped"/>, which Serilog reports as given up, holds them.</summary>
    public void ForgetIfDropped(IReadOnlyCollection<LogEvent> dropped)
    {
        lock (_lock)
        {
            if (_events is [var first, ..] && dropped.Any(e => ReferenceEquals(e, first)))
                _events = null;
        }
    }

    /// <summary>The kept events, if any, which are forgotten here: whoever takes them writes or reports them.</summary>
    public LogEvent[]? Take()
    {
        lock (_lock)
        {
            var events = _events;
            _events = null;
            return events;
        }
    }
}
