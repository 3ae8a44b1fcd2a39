using System.CommandLine;
using System.CommandLine.Parsing;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary><c>--since</c> and <c>--until</c>: a duration back from now (<c>1h</c>) or a date and time.</summary>
sealed class TimeOptions
{
    readonly Option<string> _since;
    readonly Option<string> _until;
    readonly Option<bool> _utc;

    public TimeOptions(Option<bool> utc, string what = "rows")
    {
        _utc = utc;
        _since = Create("--since", $"Only {what} at or after this time: a duration back from now ({Duration.Examples}) or a date and time (2025-01-31T08:00).");
        _until = Create("--until", $"Only {what} before this time: a duration back from now or a date and time.");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_since);
        command.Options.Add(_until);
        command.Validators.Add(result =>
        {
            // Both ends are read against one "now", so that a pair of durations compares as the user means it.
            var now = DateTimeOffset.UtcNow;
            if (result.GetValue(_since) is { } since && result.GetValue(_until) is { } until &&
                TimeFormat.TryParsePoint(since, now, utc: true, out var from) && TimeFormat.TryParsePoint(until, now, utc: true, out var to) &&
                from > to)
                result.AddError($"--since {since} is later than --until {until}, so nothing could match. A duration counts back " +
                                "from now: --since 2h --until 1h is the hour before the last.");
        });
    }

    public (DateTimeOffset? Since, DateTimeOffset? Until) Resolve(ParseResult result, DateTimeOffset now) =>
        (Resolve(result, _since, now), Resolve(result, _until, now));

    DateTimeOffset? Resolve(ParseResult result, Option<string> option, DateTimeOffset now) =>
        result.GetValue(option) is { } text && TimeFormat.TryParsePoint(text, now, result.GetValue(_utc), out var time) ? time : null;

    static Option<string> Create(string name, string description)
    {
        var option = new Option<string>(name) { Description = description, HelpName = "TIME" };
        option.Validators.Add(Validate);
        return option;
    }

    static void Validate(OptionResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (!TimeFormat.TryParsePoint(text, DateTimeOffset.UtcNow, utc: false, out _))
            result.AddError($"{result.IdentifierToken?.Value} '{text}' is not a duration ({Duration.Examples}) or a date and time (such as 2025-01-31T08:00).");
    }
}
