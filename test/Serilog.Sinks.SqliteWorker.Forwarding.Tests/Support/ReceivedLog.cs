using System.Text.Json;

namespace Serilog.Sinks.SqliteWorker.Forwarding.Tests.Support;

/// <summary>
/// One log record as the receiver gives it back in OTLP JSON. The dashboard returns every attribute value as a string
/// (a map or an array as its JSON text), so types are checked on the wire by <see cref="OtlpCapture"/>.
/// </summary>
sealed record ReceivedLog(
    string ServiceName,
    string Scope,
    ulong TimeUnixNano,
    int SeverityNumber,
    string SeverityText,
    string Body,
    string? TraceId,
    string? SpanId,
    IReadOnlyDictionary<string, string> Attributes)
{
    public string Uid => Attributes["log.record.uid"];

    public static IReadOnlyList<ReceivedLog> ReadAll(JsonElement root)
    {
        var logs = new List<ReceivedLog>();
        foreach (var resourceLogs in root.GetProperty("data").GetProperty("resourceLogs").EnumerateArray())
        {
            var resource = ReadAttributes(resourceLogs.GetProperty("resource"));
            foreach (var scopeLogs in resourceLogs.GetProperty("scopeLogs").EnumerateArray())
            {
                var scope = scopeLogs.TryGetProperty("scope", out var s) && s.TryGetProperty("name", out var n) ? n.GetString()! : "";
                foreach (var record in scopeLogs.GetProperty("logRecords").EnumerateArray())
                {
                    logs.Add(new ReceivedLog(
                        resource.GetValueOrDefault("service.name", ""),
                        scope,
                        ulong.Parse(record.GetProperty("timeUnixNano").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                        record.TryGetProperty("severityNumber", out var severity) ? severity.GetInt32() : 0,
                        record.TryGetProperty("severityText", out var text) ? text.GetString()! : "",
                        record.GetProperty("body").GetProperty("stringValue").GetString()!,
                        record.TryGetProperty("traceId", out var traceId) ? traceId.GetString() : null,
                        record.TryGetProperty("spanId", out var spanId) ? spanId.GetString() : null,
                        ReadAttributes(record)));
                }
            }
        }

        return logs;
    }

    static Dictionary<string, string> ReadAttributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>();
        if (!owner.TryGetProperty("attributes", out var list))
            return attributes;
        foreach (var attribute in list.EnumerateArray())
        {
            var value = attribute.GetProperty("value");
            attributes[attribute.GetProperty("key").GetString()!] =
                value.TryGetProperty("stringValue", out var s) ? s.GetString()! : value.GetRawText();
        }

        return attributes;
    }
}
