using System.Globalization;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// A condition on one property of the JSON <c>properties</c> column, through <c>json_extract</c>. The path and the
/// value are bound as parameters, never written into the SQL.
/// </summary>
static class PropertyMatch
{
    public static void Validate(string path, object? value, string parameterName)
    {
        if (path.Length == 0)
            throw new ArgumentException("PropertyPath is empty; give a property name such as \"OrderId\" or a JSON path such as \"$.Request.Path\".", parameterName);
        if (!path.StartsWith('$') && path.IndexOfAny(['"', '.', '[', ']']) >= 0)
            throw new ArgumentException(
                $"PropertyPath '{path}' is neither a plain property name nor a JSON path. Write a path that starts with '$', such as \"$.Request.Path\".",
                parameterName);
        if (value != null && ToSqlValue(value) == null)
            throw new ArgumentException(
                $"PropertyValue has type {value.GetType()}; give a string, a number or a Boolean, as stored in the properties JSON.",
                parameterName);
    }

    public static void AddTo(SqlWhere where, string path, object? value)
    {
        var jsonPath = where.Bind(path.StartsWith('$') ? path : "$.\"" + path + "\"");
        // json_extract fails the whole statement on one row that is not JSON it reads (malformed, or nested deeper than
        // SQLite's limit of 1000, as files written before the sink bounded nesting may hold): such a row does not match.
        where.And(value == null
            ? $"CASE WHEN json_valid(properties) THEN json_type(properties, {jsonPath}) END IS NOT NULL"
            : $"CASE WHEN json_valid(properties) THEN json_extract(properties, {jsonPath}) END = {where.Bind(ToSqlValue(value))}");
    }

    /// <summary>The value as <c>json_extract</c> returns its JSON form: text, an integer, a real; true and false are 1 and 0.</summary>
    static object? ToSqlValue(object value) => value switch
    {
        string s => s,
        bool b => b ? 1L : 0L,
        sbyte or byte or short or ushort or int or uint or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        ulong u when u <= long.MaxValue => (long)u,
        float or double or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => null,
    };
}
