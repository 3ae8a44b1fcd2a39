using System.Globalization;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// <see cref="JsonValueFormatter"/> with a bound on nesting: a structure, sequence or dictionary that would open deeper
/// than <see cref="PropertiesJson.MaxDepth"/> is written as a JSON string holding its rendered text instead, so the
/// JSON stays within what SQLite's and System.Text.Json's parsers read. It keeps state, so an instance belongs to one
/// thread at a time.
/// </summary>
sealed class DepthLimitedJsonValueFormatter() : JsonValueFormatter(typeTagName: "$type")
{
    int _depth;

    /// <summary>Whether a value was flattened since <see cref="Start"/>.</summary>
    public bool Flattened { get; private set; }

    /// <summary>Begins a value whose container opens at nesting level <paramref name="depth"/> + 1.</summary>
    public void Start(int depth)
    {
        _depth = depth;
        Flattened = false;
    }

    protected override bool VisitStructureValue(TextWriter state, StructureValue structure)
    {
        if (!TryEnter(state, structure))
            return false;
        try
        {
            return base.VisitStructureValue(state, structure);
        }
        finally
        {
            _depth--;
        }
    }

    protected override bool VisitSequenceValue(TextWriter state, SequenceValue sequence)
    {
        if (!TryEnter(state, sequence))
            return false;
        try
        {
            return base.VisitSequenceValue(state, sequence);
        }
        finally
        {
            _depth--;
        }
    }

    protected override bool VisitDictionaryValue(TextWriter state, DictionaryValue dictionary)
    {
        if (!TryEnter(state, dictionary))
            return false;
        try
        {
            return base.VisitDictionaryValue(state, dictionary);
        }
        finally
        {
            _depth--;
        }
    }

    bool TryEnter(TextWriter output, LogEventPropertyValue value)
    {
        if (_depth < PropertiesJson.MaxDepth)
        {
            _depth++;
            return true;
        }

        // Serilog's own text form, as the message shows it: readable, and it keeps every level.
        WriteQuotedJsonString(value.ToString(null, CultureInfo.InvariantCulture), output);
        Flattened = true;
        return false;
    }
}
