using System.Diagnostics;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Events rendered into rows on the threads that log them, waiting in the order they were added to be written. A row's
/// text is copied into pooled segments of plain arrays, so that what waits holds no object of its own per event: the
/// garbage collector neither traces nor copies queued events, which is where a queue of <see cref="LogEvent"/>s spends
/// much of its time (docs/performance.md measures it). Any number of threads may add; one
/// writer at a time takes a batch, and releases it before taking the next.
/// </summary>
sealed class RowQueue : IDisposable
{
    // Free segments kept for reuse: enough for the rows a few batches take, so that a steady flow allocates none, and
    // few enough that a burst's segments go back to the collector afterwards.
    const int PooledSegments = 32;

    readonly Lock _lock = new();
    readonly Stack<RowSegment> _free = new();
    readonly ThreadLocal<RowRenderer> _renderers;
    readonly Func<RowRenderer> _newRenderer;

    // Segments from the oldest unreleased row to the one being filled; under _lock.
    RowSegment _head;
    RowSegment _tail;
    int _headReleased;
    int _count;

    public RowQueue(IFormatProvider? formatProvider, IReadOnlyList<PropertyColumn> customColumns, int logColumns)
    {
        _newRenderer = () => new RowRenderer(formatProvider, customColumns, logColumns);
        _renderers = new ThreadLocal<RowRenderer>(_newRenderer);
        _head = _tail = new RowSegment(RowSegment.TextCapacity);
    }

    /// <summary>Rows added and not yet released.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _count;
        }
    }

    /// <summary>Renders the event into its row, on the calling thread, and queues the row.</summary>
    /// <returns>The rows now waiting, this one included.</returns>
    public int Add(LogEvent logEvent)
    {
        var renderer = _renderers.Value!;
        // Rendering runs user code; a ToString() that logs brings this thread back here before its row is queued, and
        // that event gets buffers of its own rather than overwriting the row being rendered.
        if (renderer.IsRendering)
            renderer = _newRenderer();

        try
        {
            var row = renderer.Render(logEvent, out var isMetric);
            lock (_lock)
            {
                if (!_tail.HasRoomFor(row.TextLength, row.Columns))
                    StartSegment(row.TextLength, row.Columns);
                _tail.Append(logEvent, row, isMetric);
                return ++_count;
            }
        }
        finally
        {
            renderer.Clear();
        }
    }

    /// <summary>Fills <paramref name="batch"/> with up to <paramref name="limit"/> of the oldest rows, which stay queued until released.</summary>
    public void Take(int limit, RowBatch batch)
    {
        batch.Clear();
        lock (_lock)
        {
            var first = _headReleased;
            for (var segment = _head; segment != null && batch.Count < limit; segment = segment.Next)
            {
                var rows = Math.Min(segment.Count - first, limit - batch.Count);
                if (rows > 0)
                    batch.Add(segment, first, rows);
                first = 0;
            }
        }
    }

    /// <summary>Forgets the batch's rows, written or given up; they were the oldest.</summary>
    public void Release(RowBatch batch)
    {
        lock (_lock)
        {
            var remaining = batch.Count;
            _count -= remaining;
            while (remaining > 0)
            {
                var rows = Math.Min(remaining, _head.Count - _headReleased);
                Debug.Assert(rows > 0 || _head != _tail, "A batch releases only rows that were taken.");
                if (rows == 0 && _head == _tail)
                    break;
                _headReleased += rows;
                remaining -= rows;
                if (_headReleased < _head.Count)
                    break;

                if (_head == _tail)
                {
                    // The segment being filled, all of it written: it starts over in place.
                    _head.Reset();
                }
                else
                {
                    var done = _head;
                    _head = _head.Next!;
                    Recycle(done);
                }

                _headReleased = 0;
            }
        }

        batch.Clear();
    }

    void StartSegment(int text, int cells)
    {
        var segment = !RowSegment.FitsStandardSize(text, cells) ? new RowSegment(Math.Max(text, RowSegment.TextCapacity), cells)
            : _free.TryPop(out var free) ? free
            : new RowSegment(RowSegment.TextCapacity);
        if (_tail.Count == 0 && _tail == _head)
        {
            // Nothing is queued: the empty segment is replaced rather than left at the head.
            Recycle(_tail);
            _head = _tail = segment;
            return;
        }

        _tail.Next = segment;
        _tail = segment;
    }

    void Recycle(RowSegment segment)
    {
        segment.Reset();
        segment.Next = null;
        if (segment.IsStandardSize && _free.Count < PooledSegments)
            _free.Push(segment);
    }

    public void Dispose() => _renderers.Dispose();

    /// <summary>One thread's row writers and the rows they fill, reused event after event.</summary>
    sealed class RowRenderer(IFormatProvider? formatProvider, IReadOnlyList<PropertyColumn> customColumns, int logColumns)
    {
        readonly LogRowWriter _logWriter = new(formatProvider, customColumns);
        readonly MetricRowWriter _metricWriter = new();
        readonly RenderedRow _logRow = new(logColumns);
        readonly RenderedRow _metricRow = new(MetricRowWriter.Columns);

        /// <summary>From the start of <see cref="Render"/> until <see cref="Clear"/>, once the row has been queued.</summary>
        public bool IsRendering { get; private set; }

        public RenderedRow Render(LogEvent logEvent, out bool isMetric)
        {
            IsRendering = true;
            isMetric = MetricEvent.IsMetric(logEvent) && _metricWriter.TryWrite(logEvent, _metricRow);
            if (isMetric)
                return _metricRow;

            _logWriter.Write(logEvent, _logRow);
            return _logRow;
        }

        /// <summary>Forgets the rows, and what they referred to, until the next event.</summary>
        public void Clear()
        {
            _logRow.Clear();
            _metricRow.Clear();
            IsRendering = false;
        }
    }
}
