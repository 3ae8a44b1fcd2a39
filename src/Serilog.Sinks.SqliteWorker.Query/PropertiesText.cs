using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// The properties column as the readers hand it on: a JSON object when it is one that System.Text.Json reads with its
/// default limits, otherwise its raw text as a JSON string. Rows written before the sink bounded nesting, or by
/// something else, may hold text too deep or malformed to parse; that is then the row's own problem, never the read's.
/// </summary>
static class PropertiesText
{
    static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>The column as a JSON object, or as a JSON string holding its raw text when it is not a readable object.</summary>
    public static JsonElement Parse(string? text)
    {
        if (text is null or "{}")
            return EmptyObject;

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Too deep for the default limit, or not JSON: the raw text below.
        }

        return RawText(text);
    }

    /// <summary>Whether the column is a JSON object that System.Text.Json reads with its default limits.</summary>
    public static bool IsReadableObject(string text)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var reader = new Utf8JsonReader(bytes.AsSpan(0, Encoding.UTF8.GetBytes(text, bytes)));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            // Reading to the end checks the whole text, as parsing it would, without building anything.
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    static JsonElement RawText(string text)
    {
        var buffer = new ArrayBufferWriter<byte>(text.Length + 2);
        using (var writer = new Utf8JsonWriter(buffer))
            writer.WriteStringValue(text);
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
