using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Serilog.Sinks.SqliteWorker.Forwarding.Otlp;

namespace Serilog.Sinks.SqliteWorker.Forwarding;

/// <summary>
/// Turns stored rows into OTLP requests, as Serilog.Sinks.OpenTelemetry maps an event: the rendered message as body,
/// the template as <c>message_template.text</c>, properties as typed attributes, the source context as the
/// instrumentation scope. Each log record also carries <c>log.record.uid</c>, the database's identity with the row's
/// table and id, so that a receiver can drop a record sent twice.
/// </summary>
sealed class OtlpMapping
{
    public const string MessageTemplateAttribute = "message_template.text";
    public const string RecordIdAttribute = "log.record.uid";
    public const string ThreadIdAttribute = "thread.id";

    readonly Resource _resource;
    readonly string _recordIdPrefix;

    public OtlpMapping(string serviceName, IEnumerable<KeyValuePair<string, string>> resourceAttributes, string sourceId, string logsTable)
    {
        _resource = new Resource();
        _resource.Attributes.Add(Attribute("service.name", serviceName));
        foreach (var (key, value) in resourceAttributes)
        {
            if (key != "service.name")
                _resource.Attributes.Add(Attribute(key, value));
        }

        _recordIdPrefix = $"{sourceId}/{logsTable}/";
    }

    public ExportLogsServiceRequest Logs(IReadOnlyList<LogRow> rows)
    {
        var resourceLogs = new ResourceLogs { Resource = _resource };
        // One scope per source context, in the order each first appears; rows keep their order within it.
        var scopes = new Dictionary<string, ScopeLogs>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var scopeName = row.SourceContext ?? "";
            if (!scopes.TryGetValue(scopeName, out var scope))
            {
                scopes[scopeName] = scope = new ScopeLogs { Scope = new InstrumentationScope { Name = scopeName } };
                resourceLogs.ScopeLogs.Add(scope);
            }

            scope.LogRecords.Add(Record(row));
        }

        var request = new ExportLogsServiceRequest();
        request.ResourceLogs.Add(resourceLogs);
        return request;
    }

    public ExportMetricsServiceRequest Metrics(IReadOnlyList<MetricRow> rows)
    {
        var scope = new ScopeMetrics { Scope = new InstrumentationScope { Name = "Serilog.Sinks.SqliteWorker" } };
        // One gauge per name and unit, holding its points in row order.
        var metrics = new Dictionary<(string, string), Metric>();
        foreach (var row in rows)
        {
            var key = (row.Name, row.Unit ?? "");
            if (!metrics.TryGetValue(key, out var metric))
            {
                metrics[key] = metric = new Metric { Name = row.Name, Unit = row.Unit ?? "", Gauge = new Gauge() };
                scope.Metrics.Add(metric);
            }

            var point = new NumberDataPoint { TimeUnixNano = UnixNanoseconds(row.Timestamp), AsDouble = row.Value };
            AddProperties(point.Attributes, row.Properties);
            metric.Gauge.DataPoints.Add(point);
        }

        var resourceMetrics = new ResourceMetrics { Resource = _resource };
        resourceMetrics.ScopeMetrics.Add(scope);
        var request = new ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(resourceMetrics);
        return request;
    }

    LogRecord Record(LogRow row)
    {
        var time = UnixNanoseconds(row.Timestamp);
        var (severity, severityText) = Severity(row.Level);
        var record = new LogRecord
        {
            TimeUnixNano = time,
            // When the sink observed the event: the same time, or the forwarder's own when the row's cannot be read.
            ObservedTimeUnixNano = time != 0 ? time : (ulong)(DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100,
            SeverityNumber = severity,
            SeverityText = severityText,
            Body = new AnyValue { StringValue = row.Message },
        };
        if (HexBytes(row.TraceId, 16) is { } traceId)
            record.TraceId = traceId;
        if (HexBytes(row.SpanId, 8) is { } spanId)
            record.SpanId = spanId;

        var attributes = record.Attributes;
        attributes.Add(Attribute(MessageTemplateAttribute, row.MessageTemplate));
        AddProperties(attributes, row.Properties);
        if (row.Exception is { } exception)
            AddException(attributes, exception);
        if (row.ThreadId is { } threadId)
            attributes.Add(new KeyValue { Key = ThreadIdAttribute, Value = new AnyValue { IntValue = threadId } });
        foreach (var (column, value) in row.CustomColumns)
        {
            // A custom column usually promotes a property that is also in the JSON: the attribute is there already.
            if (!attributes.Any(a => a.Key == column))
                attributes.Add(new KeyValue { Key = column, Value = ColumnValue(value) });
        }

        attributes.Add(Attribute(RecordIdAttribute, _recordIdPrefix + row.Id.ToString(CultureInfo.InvariantCulture)));
        return record;
    }

    /// <summary>Serilog's levels on OTLP's severity numbers, as Serilog.Sinks.OpenTelemetry maps them; the text is the level's name.</summary>
    public static (int Number, string Text) Severity(string level) => level switch
    {
        "Verbose" => (1, level),
        "Debug" => (5, level),
        "Information" => (9, level),
        "Warning" => (13, level),
        "Error" => (17, level),
        "Fatal" => (21, level),
        _ => (0, level),
    };

    /// <summary>
    /// A stored timestamp (UTC, 100 ns resolution) as nanoseconds since the Unix epoch: exact, since 100 ns divides both.
    /// Text that is not a timestamp (another program wrote the row) is 0, which OTLP reads as unknown, so that one row
    /// never holds up the rows after it.
    /// </summary>
    public static ulong UnixNanoseconds(string timestamp)
    {
        try
        {
            var ticks = TimestampText.Parse(timestamp).UtcTicks - DateTime.UnixEpoch.Ticks;
            return ticks > 0 ? (ulong)ticks * 100 : 0;
        }
        catch (FormatException)
        {
            return 0;
        }
    }

    // exception.stacktrace holds the whole text the sink stored (the exception's ToString()), as Serilog.Sinks.OpenTelemetry
    // does; its first line is "Type: message".
    static void AddException(IList<KeyValue> attributes, string exception)
    {
        var firstLine = exception.Split('\n', 2)[0].TrimEnd('\r');
        var separator = firstLine.IndexOf(": ", StringComparison.Ordinal);
        attributes.Add(Attribute("exception.type", separator < 0 ? firstLine : firstLine[..separator]));
        if (separator >= 0)
            attributes.Add(Attribute("exception.message", firstLine[(separator + 2)..]));
        attributes.Add(Attribute("exception.stacktrace", exception));
    }

    static void AddProperties(IList<KeyValue> attributes, string? json)
    {
        if (string.IsNullOrEmpty(json) || json == "{}")
            return;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                attributes.Add(Attribute(LogColumns.Properties, json));
                return;
            }

            foreach (var property in document.RootElement.EnumerateObject())
                attributes.Add(new KeyValue { Key = property.Name, Value = Value(property.Value) });
        }
        catch (JsonException)
        {
            // Text another program stored that is not JSON still reaches the receiver, whole, under the column's name.
            attributes.Add(Attribute(LogColumns.Properties, json));
        }
    }

    static AnyValue Value(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return new AnyValue { StringValue = element.GetString() };
            case JsonValueKind.Number:
                return IsInteger(element.GetRawText()) && element.TryGetInt64(out var integer)
                    ? new AnyValue { IntValue = integer }
                    : new AnyValue { DoubleValue = element.GetDouble() };
            case JsonValueKind.True:
                return new AnyValue { BoolValue = true };
            case JsonValueKind.False:
                return new AnyValue { BoolValue = false };
            case JsonValueKind.Array:
                var array = new ArrayValue();
                foreach (var item in element.EnumerateArray())
                    array.Values.Add(Value(item));
                return new AnyValue { ArrayValue = array };
            case JsonValueKind.Object:
                var map = new KeyValueList();
                foreach (var property in element.EnumerateObject())
                    map.Values.Add(new KeyValue { Key = property.Name, Value = Value(property.Value) });
                return new AnyValue { KvlistValue = map };
            default:
                // JSON null: an AnyValue with no value, which OTLP reads as empty.
                return new AnyValue();
        }
    }

    // 2.0 stays a double; 2 is an integer.
    static bool IsInteger(string number) => number.AsSpan().IndexOfAny('.', 'e', 'E') < 0;

    static AnyValue ColumnValue(object value) => value switch
    {
        long l => new AnyValue { IntValue = l },
        double d => new AnyValue { DoubleValue = d },
        byte[] bytes => new AnyValue { BytesValue = ByteString.CopyFrom(bytes) },
        _ => new AnyValue { StringValue = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" },
    };

    static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    static ByteString? HexBytes(string? hex, int length)
    {
        if (hex == null || hex.Length != length * 2)
            return null;
        var bytes = new byte[length];
        return Convert.FromHexString(hex, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == length
            ? ByteString.CopyFrom(bytes)
            : null;
    }
}
