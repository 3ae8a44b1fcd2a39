using System.Globalization;
using Serilog.Debugging;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Finds a custom column's property in an event and converts it to the column's type. The property also stays in the
/// JSON column, so a value that does not convert is stored as NULL, noted in <c>SelfLog</c>, and lost to nobody; the
/// batch never fails because of it.
/// </summary>
sealed class PropertyColumn
{
    readonly string _path;
    readonly string[] _segments;

    public PropertyColumn(SqliteWorkerColumn column)
    {
        _path = column.PropertyPath;
        _segments = column.PropertyPath.Split('.');
        ColumnName = column.ColumnName;
        Type = column.Type;
        Indexed = column.Indexed;
        Definition = new ColumnDefinition(column.ColumnName, SqlType(column.Type), Required: false);
    }

    public string ColumnName { get; }
    public SqliteColumnType Type { get; }
    public bool Indexed { get; }
    public ColumnDefinition Definition { get; }

    /// <summary>The column's value for this event: null when the property is missing or does not convert.</summary>
    public object? ValueOf(IReadOnlyDictionary<string, LogEventPropertyValue> properties, PropertiesJson json)
    {
        var value = Find(properties);
        if (value == null)
            return null;

        var converted = Convert(value, json);
        if (converted == null && value is not ScalarValue { Value: null })
            SelfLog.WriteLine("SqliteWorker: property {0} could not be stored in the {1} column {2}; the column is NULL and the JSON keeps the value",
                _path, Type, ColumnName);
        return converted;
    }

    LogEventPropertyValue? Find(IReadOnlyDictionary<string, LogEventPropertyValue> properties)
    {
        // A property whose own name has dots is taken whole before the path is followed into structures.
        if (properties.TryGetValue(_path, out var whole))
            return whole;
        if (!properties.TryGetValue(_segments[0], out var current))
            return null;

        foreach (var segment in _segments.AsSpan(1))
        {
            current = current switch
            {
                StructureValue structure => structure.Properties.FirstOrDefault(p => p.Name == segment)?.Value,
                DictionaryValue dictionary => dictionary.Elements.FirstOrDefault(e => Equals(e.Key.Value?.ToString(), segment)).Value,
                _ => null,
            };
            if (current == null)
                return null;
        }

        return current;
    }

    object? Convert(LogEventPropertyValue value, PropertiesJson json) => Type switch
    {
        SqliteColumnType.Integer => value is ScalarValue scalar ? ToInteger(scalar.Value) : null,
        SqliteColumnType.Real => value is ScalarValue scalar ? ToReal(scalar.Value) : null,
        _ => value is ScalarValue scalar
            ? scalar.Value switch
            {
                null => null,
                string text => text,
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString(),
            }
            : json.RenderValue(value),
    };

    static object? ToInteger(object? value) => value switch
    {
        long or int or short or sbyte or byte or ushort or uint => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
        ulong u when u <= long.MaxValue => (long)u,
        bool b => b ? 1L : 0L,
        decimal d when d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue => (long)d,
        double d when double.IsFinite(d) && d == Math.Truncate(d) && d >= long.MinValue && d < 9.2233720368547758E18 => (long)d,
        float f when float.IsFinite(f) && f == MathF.Truncate(f) && f >= long.MinValue && f < 9.2233720368547758E18f => (long)f,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    static object? ToReal(object? value)
    {
        double? number = value switch
        {
            double d => d,
            float f => f,
            decimal m => (double)m,
            long or int or short or sbyte or byte or ushort or uint or ulong => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        // SQLite would store NaN as NULL anyway; infinities are refused so the column only ever holds real measurements.
        return number is { } n && double.IsFinite(n) ? n : null;
    }

    static string SqlType(SqliteColumnType type) => type switch
    {
        SqliteColumnType.Integer => "INTEGER",
        SqliteColumnType.Real => "REAL",
        _ => "TEXT",
    };
}
