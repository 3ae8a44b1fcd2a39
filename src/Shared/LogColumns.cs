namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// The logs table's own columns, the one definition of their names and order: the sink creates, fills and rebuilds
/// rows by it, and the query helper checks, selects, reads and exports by it. Custom columns follow these.
/// </summary>
static class LogColumns
{
    public const string Timestamp = "timestamp";
    public const string Level = "level";
    public const string SourceContext = "source_context";
    public const string Message = "message";
    public const string MessageTemplate = "message_template";
    public const string Exception = "exception";
    public const string ThreadId = "thread_id";
    public const string TraceId = "trace_id";
    public const string SpanId = "span_id";
    public const string Properties = "properties";

    /// <summary>How many there are; a row's custom columns start at this ordinal.</summary>
    public const int Count = 10;

    /// <summary>Every column after <see cref="SchemaColumn.Id"/>, in table order: the order of <see cref="Ordinal"/>.</summary>
    public static readonly IReadOnlyList<SchemaColumn> All =
    [
        new(Timestamp, ColumnKind.Timestamp, NotNull: true),
        new(Level, ColumnKind.Text, NotNull: true),
        new(SourceContext, ColumnKind.Text, NotNull: false),
        new(Message, ColumnKind.Text, NotNull: true),
        new(MessageTemplate, ColumnKind.Text, NotNull: true),
        new(Exception, ColumnKind.Text, NotNull: false),
        new(ThreadId, ColumnKind.Integer, NotNull: false),
        new(TraceId, ColumnKind.Text, NotNull: false),
        new(SpanId, ColumnKind.Text, NotNull: false),
        new(Properties, ColumnKind.Json, NotNull: false),
    ];

    /// <summary>Each column's place in <see cref="All"/>, which is its value's place in a row the sink inserts.</summary>
    public static class Ordinal
    {
        public const int Timestamp = 0;
        public const int Level = 1;
        public const int SourceContext = 2;
        public const int Message = 3;
        public const int MessageTemplate = 4;
        public const int Exception = 5;
        public const int ThreadId = 6;
        public const int TraceId = 7;
        public const int SpanId = 8;
        public const int Properties = 9;
    }
}
