using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>The log filters shared by <c>logs</c>, <c>tail</c> and <c>export</c>, turned into the helper's <see cref="LogFilter"/>.</summary>
sealed class LogFilterOptions
{
    readonly Option<LogEventLevel?> _level = new("--level")
    {
        Description = "Only events of exactly this level: " + LevelName.Choices + ".",
        CustomParser = ParseLevel,
        HelpName = "LEVEL",
    };

    readonly Option<LogEventLevel?> _minimumLevel = new("--min-level")
    {
        Description = "Only events of this level or more severe.",
        CustomParser = ParseLevel,
        HelpName = "LEVEL",
    };

    readonly Option<string> _source = new("--source") { Description = "Only events of this exact source context.", HelpName = "CONTEXT" };

    readonly Option<string> _grep = new("--grep") { Description = "Only events whose message contains this text (ASCII letters in any case).", HelpName = "TEXT" };

    readonly Option<string> _property = new("--prop")
    {
        Description = "Only events with this property value, as Name=Value (a number, true/false, or text; \"quote\" a value to " +
                      "compare it as text), $.Json.Path=Value, or just Name for events that have the property.",
        HelpName = "NAME=VALUE",
        Validators = { ValidateProperty },
    };

    readonly Option<long?> _thread = new("--thread")
    {
        Description = "Only events logged on this managed thread id.",
        CustomParser = ParseThreadId,
        HelpName = "ID",
    };

    readonly Option<string> _trace = new("--trace")
    {
        Description = "Only events of this W3C trace id (32 hex digits).",
        HelpName = "TRACE_ID",
        Validators = { ValidateTraceId },
    };

    readonly TimeOptions _time;

    public LogFilterOptions(Option<bool> utc) => _time = new TimeOptions(utc, "events");

    public void AddTo(Command command)
    {
        command.Options.Add(_level);
        command.Options.Add(_minimumLevel);
        _time.AddTo(command);
        command.Options.Add(_source);
        command.Options.Add(_grep);
        command.Options.Add(_property);
        command.Options.Add(_thread);
        command.Options.Add(_trace);
        command.Validators.Add(result =>
        {
            if (result.GetResult(_level) != null && result.GetResult(_minimumLevel) != null)
                result.AddError("Give --level (exactly one level) or --min-level (a level and those more severe), not both.");
        });
    }

    /// <summary>The <c>--since</c> and <c>--until</c> given, which apply to metrics as well.</summary>
    public (DateTimeOffset? Since, DateTimeOffset? Until) Time(ParseResult result, DateTimeOffset now) => _time.Resolve(result, now);

    /// <summary>The options given that filter events only, as typed, such as <c>--level</c>.</summary>
    public IEnumerable<string> EventOnlyOptionsGiven(CommandResult result) =>
        new Option[] { _level, _minimumLevel, _source, _grep, _property, _thread, _trace }
            .Where(option => result.GetResult(option) != null)
            .Select(option => option.Name);

    public LogFilter Build(ParseResult result, DateTimeOffset now)
    {
        var (since, until) = _time.Resolve(result, now);
        var (path, value) = result.GetValue(_property) is { } property ? ParseProperty(property) : (null, null);
        return new LogFilter
        {
            Level = result.GetValue(_level),
            MinimumLevel = result.GetValue(_minimumLevel),
            Since = since,
            Until = until,
            SourceContext = result.GetValue(_source),
            MessageContains = result.GetValue(_grep),
            PropertyPath = path,
            PropertyValue = value,
            ThreadId = result.GetValue(_thread),
            TraceId = result.GetValue(_trace),
        };
    }

    /// <summary><c>Name=Value</c>: a value that reads as a number or a Boolean is compared as one, as the JSON holds it.</summary>
    internal static (string Path, object? Value) ParseProperty(string text) => PropertyCondition.Parse(text);

    static void ValidateProperty(OptionResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        var (path, _) = ParseProperty(text);
        if (path.Length == 0)
            result.AddError($"--prop '{text}' names no property. Write Name=Value (OrderId=42), $.Path=Value ($.Request.Path=/orders), " +
                            "or just Name for the events that have it.");
        else if (!path.StartsWith('$') && path.IndexOfAny(['"', '.', '[', ']']) >= 0)
            result.AddError($"--prop '{text}': '{path}' is not a property name. For a nested value write a JSON path, which starts " +
                            "with $, such as $.Request.Path=/orders.");
    }

    static void ValidateTraceId(OptionResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (text.Length != 32 || !text.All(char.IsAsciiHexDigit))
            result.AddError($"--trace '{text}' is not a trace id; give the 32 hex digits of a W3C trace id, such as " +
                            "4bf92f3577b34da6a3ce929d0e0e4736 (as in a traceparent header).");
    }

    static long? ParseThreadId(ArgumentResult result)
    {
        var text = OptionValues.Token(result);
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return id;
        result.AddError($"--thread '{text}' is not a thread id; give the number a ThreadId enricher logs, such as 12.");
        return null;
    }

    static LogEventLevel? ParseLevel(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (LevelName.TryParse(text, out var level))
            return level;
        result.AddError($"'{text}' is not a Serilog level; use one of {LevelName.Choices}.");
        return null;
    }
}
