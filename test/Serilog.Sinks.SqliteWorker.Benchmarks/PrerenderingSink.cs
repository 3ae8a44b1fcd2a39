using System.Collections.Concurrent;
using System.Threading.Channels;
using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>
/// A prototype of the other queue design, measured against the sink and never shipped: each event is rendered into
/// its row on the logging thread, the row's text is copied into pooled character chunks, and the queue holds small
/// structs pointing into them, so that no per-event object waits in the queue and survives a collection. A thread of
/// the sink's own writes 1,000-row transactions through the sink's own prepared statements. It covers what the
/// benchmark logs (ordinary events, blocking when full), nothing else: no metrics, no retries, no failure reports.
/// With <c>keepEvents</c> each queued row also holds its <see cref="LogEvent"/>, as it would have to for failure
/// listeners to be handed the events of a batch that cannot be written; that measures what keeping them costs.
/// </summary>
sealed class PrerenderingSink : ILogEventSink, IDisposable
{
    // Characters per pooled chunk: 64 KB, under the large-object threshold.
    const int ChunkCharacters = 32 * 1024;
    const int BatchSize = 1_000;

    readonly Channel<QueuedRow> _queue;
    readonly SinkCounters _counters = new();
    readonly int _queueLimit;
    readonly ConcurrentQueue<Chunk> _freeChunks = new();
    readonly ThreadLocal<Producer> _producers;
    readonly TimeSpan _bufferingTime;
    readonly string _path;
    readonly Thread _writer;
    readonly bool _keepEvents;

    public PrerenderingSink(string path, int queueLimit, TimeSpan bufferingTime, bool keepEvents = false)
    {
        _keepEvents = keepEvents;
        _path = path;
        _bufferingTime = bufferingTime;
        _queueLimit = queueLimit;
        // Bounded as the sink bounds Serilog's queue: a count in front of an unbounded channel, which takes no lock.
        _queue = Channel.CreateUnbounded<QueuedRow>(new UnboundedChannelOptions { SingleReader = true });
        _producers = new ThreadLocal<Producer>(() => new Producer(this));
        _writer = new Thread(WriteUntilCompleted) { IsBackground = true, Name = "prerendering writer" };
        _writer.Start();
    }

    public long Written => _counters.LogsWritten;

    public void Emit(LogEvent logEvent)
    {
        if (!_counters.TryEnter(_queueLimit))
            _counters.Enter(_queueLimit, static () => false);
        _queue.Writer.TryWrite(_producers.Value!.Render(logEvent) with { Event = _keepEvents ? logEvent : null });
    }

    void WriteUntilCompleted()
    {
        using var connection = BenchmarkDatabase.Open(_path);
        using var checkpointer = new WalCheckpointer(connection.ConnectionString, _path);
        WalCheckpointer.SetWriterBackstop(connection);
        var schema = SinkSchema.Logs("logs", []);
        using var insert = new TableInsert(connection, schema, 32);
        var rows = new RowBuffer(schema.Columns.Count, insert.RowsPerStatement);
        var batch = new List<QueuedRow>(BatchSize);
        var reader = _queue.Reader;

        while (FillBatch(reader, batch))
        {
            using (var transaction = connection.BeginTransaction())
            {
                foreach (var queued in batch)
                {
                    queued.CopyTo(rows.NextRow());
                    rows.Commit();
                    if (rows.IsFull)
                    {
                        insert.Insert(rows);
                        rows.Clear();
                    }
                }

                insert.Insert(rows);
                rows.Clear();
                transaction.Commit();
            }

            checkpointer.Request();
            foreach (var queued in batch)
                Release(queued.Chunk);
            _counters.Written(batch.Count, 0);
            batch.Clear();
        }
    }

    /// <summary>Takes rows until the batch is full or the buffering time has passed; false once the queue is done.</summary>
    bool FillBatch(ChannelReader<QueuedRow> reader, List<QueuedRow> batch)
    {
        var deadline = DateTime.UtcNow + _bufferingTime;
        while (batch.Count < BatchSize)
        {
            if (reader.TryRead(out var row))
            {
                batch.Add(row);
                continue;
            }

            var remaining = deadline - DateTime.UtcNow;
            if (batch.Count > 0 && remaining <= TimeSpan.Zero)
                break;
            var wait = reader.WaitToReadAsync().AsTask();
            if (batch.Count > 0 ? !wait.Wait(remaining) : !wait.Wait(Timeout.Infinite))
                break;
            if (!wait.Result)
                break;
        }

        return batch.Count > 0;
    }

    Chunk Rent(int characters)
    {
        if (characters > ChunkCharacters)
            return new Chunk(characters);
        var chunk = _freeChunks.TryDequeue(out var free) ? free : new Chunk(ChunkCharacters);
        chunk.Used = 0;
        chunk.Holders = 1;
        return chunk;
    }

    void Release(Chunk chunk)
    {
        if (Interlocked.Decrement(ref chunk.Holders) == 0 && chunk.Buffer.Length == ChunkCharacters)
            _freeChunks.Enqueue(chunk);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.Join();
        _producers.Dispose();
    }

    /// <summary>Pooled characters that hold queued rows' text; free again once every row in it is written.</summary>
    sealed class Chunk(int characters)
    {
        public readonly char[] Buffer = new char[characters];
        public int Used;
        // The producer filling it, plus one for each queued row.
        public int Holders = 1;
    }

    /// <summary>A queued row: its text in a chunk, its other values shared objects (level names, templates, small numbers).</summary>
    readonly record struct QueuedRow(Chunk Chunk, int Offset, int TimestampLength, int MessageLength, int PropertiesLength,
        object Level, object SourceContext, object Template, object Exception, object ThreadId, object TraceId, object SpanId)
    {
        /// <summary>The event itself, when the sink keeps it until its row is written.</summary>
        public LogEvent? Event { get; init; }

        public void CopyTo(Span<object> row)
        {
            var text = Chunk.Buffer.AsSpan(Offset);
            row[0] = new string(text[..TimestampLength]);
            row[1] = Level;
            row[2] = SourceContext;
            row[3] = new string(text.Slice(TimestampLength, MessageLength));
            row[4] = Template;
            row[5] = Exception;
            row[6] = ThreadId;
            row[7] = TraceId;
            row[8] = SpanId;
            row[9] = new string(text.Slice(TimestampLength + MessageLength, PropertiesLength));
        }
    }

    /// <summary>One logging thread's renderer and the chunk it is filling.</summary>
    sealed class Producer(PrerenderingSink owner)
    {
        readonly LogRowWriter _writer = new(null, []);
        readonly object[] _row = new object[10];
        Chunk? _chunk;

        public QueuedRow Render(LogEvent logEvent)
        {
            _writer.Write(logEvent, _row);
            var timestamp = (string)_row[0];
            var message = (string)_row[3];
            var properties = (string)_row[9];
            var length = timestamp.Length + message.Length + properties.Length;

            if (_chunk == null || _chunk.Buffer.Length - _chunk.Used < length)
            {
                if (_chunk != null)
                    owner.Release(_chunk);
                _chunk = owner.Rent(length);
            }

            var offset = _chunk.Used;
            var text = _chunk.Buffer.AsSpan(offset, length);
            timestamp.CopyTo(text);
            message.CopyTo(text[timestamp.Length..]);
            properties.CopyTo(text[(timestamp.Length + message.Length)..]);
            _chunk.Used += length;
            Interlocked.Increment(ref _chunk.Holders);

            var row = new QueuedRow(_chunk, offset, timestamp.Length, message.Length, properties.Length,
                _row[1], _row[2], _row[4], _row[5], _row[6], _row[7], _row[8]);
            Array.Clear(_row);
            return row;
        }
    }
}
