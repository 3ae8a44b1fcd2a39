using Serilog.Events;
using Serilog.Parsing;

namespace Serilog.Sinks.SqliteWorker.Tests.Support;

static class Some
{
    static readonly MessageTemplateParser Parser = new();

    public static LogEvent LogEvent(
        string template = "Hello {Name}",
        LogEventLevel level = LogEventLevel.Information,
        DateTimeOffset? timestamp = null,
        Exception? exception = null,
        LogEventProperty[]? properties = null) =>
        new(timestamp ?? DateTimeOffset.Now, level, exception, Parser.Parse(template),
            properties ?? [new LogEventProperty("Name", new ScalarValue("World"))]);

    public static LogEventProperty Property(string name, object? value) => new(name, new ScalarValue(value));
}
