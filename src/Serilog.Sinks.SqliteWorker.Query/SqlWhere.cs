using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// Collects the conditions of one statement. Values only ever enter as bound parameters; the condition text is made
/// from fixed fragments and validated identifiers.
/// </summary>
sealed class SqlWhere
{
    readonly List<string> _terms = [];
    readonly List<(string Name, object Value)> _parameters = [];

    /// <summary>Binds <paramref name="value"/> to a new parameter and returns the parameter's name for the SQL text.</summary>
    public string Bind(object? value)
    {
        var name = "@w" + _parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _parameters.Add((name, value ?? DBNull.Value));
        return name;
    }

    public SqlWhere And(string condition)
    {
        _terms.Add(condition);
        return this;
    }

    /// <summary><c>WHERE a AND b</c>, or empty when there are no conditions.</summary>
    public string Clause => _terms.Count == 0 ? "" : " WHERE " + string.Join(" AND ", _terms);

    public void BindTo(SQLiteCommand command)
    {
        foreach (var (name, value) in _parameters)
            command.Parameters.AddWithValue(name, value);
    }
}
