using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Renders a batch into chunks of rows ready to insert. While the writer inserts one chunk, a helper on the thread pool
/// renders the chunks after it, so that on a machine with a core to spare the writer spends its time in SQLite. The
/// writer never waits for the helper to start: a chunk nobody has claimed yet it renders itself, so a busy thread pool
/// only costs the overlap. Chunks and their buffers are reused batch after batch; nothing of a batch is kept after
/// <see cref="End"/>.
/// </summary>
sealed class BatchRenderer
{
    readonly int _chunkSize;
    readonly int _logColumns;
    readonly int _metricColumns;
    readonly bool _renderAhead;
    readonly RowWriters _writerThread;
    readonly RowWriters _helperThread;
    readonly List<Chunk> _chunks = [];
    readonly List<LogEvent> _copy = [];

    IReadOnlyList<LogEvent> _events = [];
    int _chunkCount;
    int _nextToClaim;
    Task? _helper;

    public BatchRenderer(int chunkSize, int logColumns, int metricColumns, IFormatProvider? formatProvider, bool renderAhead)
    {
        _chunkSize = chunkSize;
        _logColumns = logColumns;
        _metricColumns = metricColumns;
        _renderAhead = renderAhead;
        _writerThread = new RowWriters(formatProvider);
        _helperThread = new RowWriters(formatProvider);
    }

    public int ChunkCount => _chunkCount;

    /// <summary>Starts rendering <paramref name="batch"/>; every call is followed by one to <see cref="End"/>.</summary>
    public void Begin(IReadOnlyCollection<LogEvent> batch)
    {
        if (batch is IReadOnlyList<LogEvent> list)
        {
            _events = list;
        }
        else
        {
            _copy.AddRange(batch);
            _events = _copy;
        }

        _chunkCount = (_events.Count + _chunkSize - 1) / _chunkSize;
        while (_chunks.Count < _chunkCount)
            _chunks.Add(new Chunk(new RowBuffer(_logColumns, _chunkSize), new RowBuffer(_metricColumns, _chunkSize)));
        _nextToClaim = 0;

        if (_renderAhead && _chunkCount > 1)
            _helper = Task.Factory.StartNew(static state => ((BatchRenderer)state!).RenderAhead(), this,
                CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
    }

    /// <summary>The rows of chunk <paramref name="index"/>, rendered; chunks are taken in order.</summary>
    public Chunk Take(int index)
    {
        var chunk = _chunks[index];
        var spinner = new SpinWait();
        while (!chunk.IsRendered)
        {
            var claimed = Interlocked.Increment(ref _nextToClaim) - 1;
            if (claimed < _chunkCount)
            {
                Render(claimed, _writerThread);
                continue;
            }

            // The helper has this chunk in hand and is part way through it.
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        if (chunk.Failure != null)
            throw new InvalidOperationException("Rendering rows failed: " + chunk.Failure.Message, chunk.Failure);
        return chunk;
    }

    /// <summary>Stops the helper, and forgets the batch and every value rendered from it.</summary>
    public void End()
    {
        Interlocked.Exchange(ref _nextToClaim, int.MaxValue / 2);
        _helper?.Wait();
        _helper = null;
        for (var i = 0; i < _chunkCount; i++)
            _chunks[i].Reset();
        _events = [];
        _copy.Clear();
    }

    void RenderAhead()
    {
        int claimed;
        while ((claimed = Interlocked.Increment(ref _nextToClaim) - 1) < _chunkCount)
            Render(claimed, _helperThread);
    }

    void Render(int index, RowWriters writers)
    {
        var chunk = _chunks[index];
        try
        {
            var end = Math.Min((index + 1) * _chunkSize, _events.Count);
            for (var i = index * _chunkSize; i < end; i++)
            {
                var logEvent = _events[i];
                if (MetricEvent.IsMetric(logEvent) && writers.Metrics.TryWrite(logEvent, chunk.Metrics.NextRow()))
                {
                    chunk.Metrics.Commit();
                }
                else
                {
                    writers.Logs.Write(logEvent, chunk.Logs.NextRow());
                    chunk.Logs.Commit();
                }
            }
        }
        catch (Exception ex)
        {
            // Rendering guards against user code already; this is for anything else, handed to the writer to fail the batch.
            chunk.Failure = ex;
        }

        chunk.IsRendered = true;
    }

    /// <summary>The row writers of one thread: each reuses buffers, so each thread has its own.</summary>
    sealed class RowWriters(IFormatProvider? formatProvider)
    {
        public LogRowWriter Logs { get; } = new(formatProvider);
        public MetricRowWriter Metrics { get; } = new();
    }

    public sealed class Chunk(RowBuffer logs, RowBuffer metrics)
    {
        volatile bool _isRendered;

        public RowBuffer Logs { get; } = logs;
        public RowBuffer Metrics { get; } = metrics;
        public Exception? Failure { get; set; }

        public bool IsRendered
        {
            get => _isRendered;
            set => _isRendered = value;
        }

        public void Reset()
        {
            Logs.Clear();
            Metrics.Clear();
            Failure = null;
            _isRendered = false;
        }
    }
}
