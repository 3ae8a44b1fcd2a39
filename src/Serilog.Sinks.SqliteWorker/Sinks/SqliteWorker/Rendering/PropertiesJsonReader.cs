using System.Globalization;
using System.Text;
using System.Text.Json;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Reads the properties column back into Serilog properties: the inverse of <see cref="PropertiesJson"/>, so that rows
/// which could not be written can be handed to failure listeners as events again. It never throws: text it cannot read
/// comes back whole, as one property.
/// </summary>
static class PropertiesJsonReader
{
    /// <summary>The name of the single property holding the raw text when it is not a readable JSON object.</summary>
    public const string FallbackPropertyName = "Properties";

    /// <summary>
    /// The deepest nesting read, counting the outer object as 1: the most <see cref="PropertiesJson"/> writes. Deeper
    /// text is not the sink's, and falls back to the raw text, as malformed JSON does.
    /// </summary>
    public const int MaxDepth = PropertiesJson.MaxDepth;

    const string TypeTagName = "$type";

    static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    /// <summary>Reads a JSON object as PropertiesJson renders it back into Serilog properties.</summary>
    /// <param name="json">The rendered properties.</param>
    /// <returns>The properties in the order they appear; or, when <paramref name="json"/> is not a JSON object that can
    /// be read, one property named <see cref="FallbackPropertyName"/> holding the text as it is.</returns>
    public static List<LogEventProperty> Read(string json)
    {
        try
        {
            // Encoding.UTF8 replaces a lone surrogate with U+FFFD, where JsonDocument.Parse(string) would refuse the
            // whole text; the rows being rebuilt never left memory, so they may hold one.
            using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(json), Options);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                return ReadTopLevel(document.RootElement);
        }
        catch (Exception)
        {
            // Malformed, too deep, or a string GetString refuses (an escaped lone surrogate): keep the raw text below.
        }

        return [new LogEventProperty(FallbackPropertyName, new ScalarValue(json))];
    }

    static List<LogEventProperty> ReadTopLevel(JsonElement root)
    {
        var properties = new List<LogEventProperty>();
        var indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            // Serilog refuses empty and blank names, and events never carry one, so such a member is not from
            // PropertiesJson: it is skipped. "$type" is an ordinary name here; only structures have type tags.
            if (!LogEventProperty.IsValidName(member.Name))
                continue;

            var property = new LogEventProperty(member.Name, ReadValue(member.Value));

            // A repeated name keeps its last value, as LogEvent does, so the list can become a dictionary safely.
            if (indexByName.TryGetValue(member.Name, out var index))
            {
                properties[index] = property;
            }
            else
            {
                indexByName.Add(member.Name, properties.Count);
                properties.Add(property);
            }
        }

        return properties;
    }

    static LogEventPropertyValue ReadValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ReadObject(element),
        JsonValueKind.Array => new SequenceValue(element.EnumerateArray().Select(ReadValue)),
        JsonValueKind.String => new ScalarValue(element.GetString()),
        JsonValueKind.Number => ReadNumber(element.GetRawText()),
        JsonValueKind.True => new ScalarValue(true),
        JsonValueKind.False => new ScalarValue(false),
        _ => new ScalarValue(null),
    };

    static LogEventPropertyValue ReadObject(JsonElement element)
    {
        // JsonValueFormatter writes a structure's type tag as its last member; JSON gives member order no meaning, so
        // the last "$type" member with a string value, wherever it stands, is taken as the tag.
        var tagIndex = -1;
        var hasInvalidName = false;
        var index = 0;
        foreach (var member in element.EnumerateObject())
        {
            if (member.NameEquals(TypeTagName) && member.Value.ValueKind == JsonValueKind.String)
                tagIndex = index;
            else if (!LogEventProperty.IsValidName(member.Name))
                hasInvalidName = true;
            index++;
        }

        // Dictionaries are written as objects too, and their keys may be empty or blank, which a structure's property
        // names never are: such an object is a dictionary (even with a "$type" key), and renders back the same.
        if (hasInvalidName)
            return ReadDictionary(element);

        var properties = new List<LogEventProperty>();
        string? typeTag = null;
        index = 0;
        foreach (var member in element.EnumerateObject())
        {
            if (index++ == tagIndex)
                typeTag = member.Value.GetString();
            else
                properties.Add(new LogEventProperty(member.Name, ReadValue(member.Value)));
        }

        return new StructureValue(properties, typeTag);
    }

    static DictionaryValue ReadDictionary(JsonElement element)
    {
        // DictionaryValue refuses repeated keys: the last value is kept.
        var elements = new Dictionary<string, LogEventPropertyValue>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
            elements[member.Name] = ReadValue(member.Value);

        return new DictionaryValue(elements.Select(e => KeyValuePair.Create(new ScalarValue(e.Key), e.Value)));
    }

    static ScalarValue ReadNumber(string text)
    {
        // The first of long, double and decimal that JsonValueFormatter would render as exactly this text, so a row
        // reads back to values that render the same: 5 is a long; 23.4, 1E+300 and -0 are doubles; 1.50,
        // 0.1234567890123456789 and 18446744073709551615 (a ulong) are decimals.
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) &&
            integer.ToString(CultureInfo.InvariantCulture) == text)
            return new ScalarValue(integer);

        var isDouble = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real);
        if (isDouble && real.ToString("R", CultureInfo.InvariantCulture) == text)
            return new ScalarValue(real);

        var isDecimal = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact);
        if (isDecimal && exact.ToString(CultureInfo.InvariantCulture) == text)
            return new ScalarValue(exact);

        // Text JsonValueFormatter does not write (1e5, 1.0000000000000000000000000000001, 1e400): a whole number
        // keeps every digit as a decimal where one can hold it; anything else is the nearest double.
        if (isDecimal && text.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
            return new ScalarValue(exact);

        return isDouble ? new ScalarValue(real) : new ScalarValue(text);
    }
}
