using System.Data.SQLite;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>
/// The reference point: the sink as anyone would first write it. Serilog 4 batching, one transaction per batch, one
/// prepared single-row INSERT per event, properties rendered with <see cref="JsonValueFormatter"/>.
/// </summary>
sealed class NaiveSink : IBatchedLogEventSink, IDisposable
{
    readonly SQLiteConnection _connection;
    readonly SQLiteCommand _insert;
    readonly JsonValueFormatter _json = new("$type");

    public NaiveSink(string path)
    {
        _connection = BenchmarkDatabase.Open(path);
        _insert = _connection.CreateCommand();
        _insert.CommandText =
            $"INSERT INTO logs ({string.Join(", ", EventShape.Columns)}) " +
            $"VALUES ({string.Join(", ", EventShape.Columns.Select(c => "@" + c))})";
        foreach (var column in EventShape.Columns)
            _insert.Parameters.Add(new SQLiteParameter("@" + column));
    }

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        using var transaction = _connection.BeginTransaction();
        foreach (var logEvent in batch)
        {
            var threadId = logEvent.Properties.TryGetValue("ThreadId", out var t) && t is ScalarValue { Value: int id } ? (object)id : DBNull.Value;
            _insert.Parameters["@timestamp"].Value =
                logEvent.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
            _insert.Parameters["@level"].Value = logEvent.Level.ToString();
            _insert.Parameters["@source_context"].Value = DBNull.Value;
            _insert.Parameters["@message"].Value = logEvent.RenderMessage(CultureInfo.InvariantCulture);
            _insert.Parameters["@message_template"].Value = logEvent.MessageTemplate.Text;
            _insert.Parameters["@exception"].Value = (object?)logEvent.Exception?.ToString() ?? DBNull.Value;
            _insert.Parameters["@thread_id"].Value = threadId;
            _insert.Parameters["@trace_id"].Value = (object?)logEvent.TraceId?.ToHexString() ?? DBNull.Value;
            _insert.Parameters["@span_id"].Value = (object?)logEvent.SpanId?.ToHexString() ?? DBNull.Value;
            _insert.Parameters["@properties"].Value = RenderProperties(logEvent);
            _insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    string RenderProperties(LogEvent logEvent)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.Write('{');
        var delimiter = "";
        foreach (var (name, value) in logEvent.Properties)
        {
            if (name == "ThreadId")
                continue;
            writer.Write(delimiter);
            delimiter = ",";
            JsonValueFormatter.WriteQuotedJsonString(name, writer);
            writer.Write(':');
            _json.Format(value, writer);
        }

        writer.Write('}');
        return writer.ToString();
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _insert.Dispose();
        _connection.Dispose();
    }
}

/// <summary>A sink that does nothing, so that the cost of a log call without any sink work can be measured.</summary>
sealed class NoOpSink : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
    }
}

/// <summary>
/// A batched sink that throws its batches away: behind Serilog's own batching, it shows what the queue and the hand-over
/// to a background writer cost the caller before any sink does any work.
/// </summary>
sealed class NoOpBatchedSink : IBatchedLogEventSink
{
    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch) => Task.CompletedTask;

    public Task OnEmptyBatchAsync() => Task.CompletedTask;
}

/// <summary>
/// The least a sink can do with an event it writes later: keep its timestamp, level, template, exception and property
/// values in slots it reuses, and nothing else; no thread renders or writes them. What a call into it costs is a lower
/// bound for every design that keeps events during a burst and renders and writes them after it. With
/// <c>numbersByValue</c>, integers and floating-point numbers are kept as numbers, and other scalars by their value
/// rather than by their <see cref="ScalarValue"/>, so that for the benchmark's event the collector has no object of the
/// event's to keep.
/// </summary>
sealed class KeepForLaterSink(int slots, bool numbersByValue) : ILogEventSink
{
    const int ValuesPerEvent = 8;

    readonly (DateTimeOffset Timestamp, LogEventLevel Level, MessageTemplate Template, Exception? Exception)[] _events =
        new (DateTimeOffset, LogEventLevel, MessageTemplate, Exception?)[slots];
    readonly (string? Name, long Number, object? Value)[] _values = new (string?, long, object?)[slots * ValuesPerEvent];
    long _next = -1;

    public void Emit(LogEvent logEvent)
    {
        var slot = (int)(Interlocked.Increment(ref _next) % _events.Length);
        _events[slot] = (logEvent.Timestamp, logEvent.Level, logEvent.MessageTemplate, logEvent.Exception);
        var value = slot * ValuesPerEvent;
        foreach (var (name, property) in logEvent.Properties)
        {
            if (value == (slot + 1) * ValuesPerEvent)
                break;
            _values[value++] = !numbersByValue || property is not ScalarValue scalar ? (name, 0, property)
                : scalar.Value switch
                {
                    int number => (name, number, null),
                    long number => (name, number, null),
                    double number => (name, BitConverter.DoubleToInt64Bits(number), null),
                    // The value itself: a string the program holds anyway outlives the event, its ScalarValue does not.
                    var other => (name, 0, other),
                };
        }
    }
}
