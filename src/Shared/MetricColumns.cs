namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// The metrics table's columns, the one definition of their names and order: the sink creates, fills and rebuilds
/// rows by it, and the query helper checks, selects, reads and exports by it.
/// </summary>
static class MetricColumns
{
    public const string Timestamp = "timestamp";
    public const string Name = "metric_name";
    public const string Value = "value";
    public const string Unit = "unit";
    public const string Properties = "properties";

    /// <summary>How many there are, which is the number of values in a metric row.</summary>
    public const int Count = 5;

    /// <summary>Every column after <see cref="SchemaColumn.Id"/>, in table order: the order of <see cref="Ordinal"/>.</summary>
    public static readonly IReadOnlyList<SchemaColumn> All =
    [
        new(Timestamp, ColumnKind.Timestamp, NotNull: true),
        new(Name, ColumnKind.Text, NotNull: true),
        new(Value, ColumnKind.Real, NotNull: true),
        new(Unit, ColumnKind.Text, NotNull: false),
        new(Properties, ColumnKind.Json, NotNull: false),
    ];

    /// <summary>Each column's place in <see cref="All"/>, which is its value's place in a row the sink inserts.</summary>
    public static class Ordinal
    {
        public const int Timestamp = 0;
        public const int Name = 1;
        public const int Value = 2;
        public const int Unit = 3;
        public const int Properties = 4;
    }
}
