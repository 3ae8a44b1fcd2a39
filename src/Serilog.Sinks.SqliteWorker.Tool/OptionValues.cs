using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// Parsers and checks for option values whose errors name the option as typed and say what to give instead, where
/// System.CommandLine's own would name .NET types.
/// </summary>
static class OptionValues
{
    /// <summary>A whole number of at least <paramref name="minimum"/>, such as a row limit.</summary>
    public static Func<ArgumentResult, int> WholeNumber(int minimum) => result =>
    {
        var text = Token(result);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            result.AddError($"{OptionName(result)} '{text}' is not a whole number; give one such as {Math.Max(minimum, 10)}.");
        else if (value < minimum)
            result.AddError($"{OptionName(result)} {value} is too small; give {minimum} or more.");
        return value;
    };

    /// <summary>Restricts <paramref name="option"/> to <paramref name="choices"/>, compared as typed.</summary>
    public static void OneOf(Option<string> option, params string[] choices) =>
        option.Validators.Add(result =>
        {
            // No token: the option's default, which is one of the choices.
            if (result.Tokens.Count == 0)
                return;
            var text = result.Tokens[0].Value;
            if (!choices.Contains(text, StringComparer.Ordinal))
                result.AddError($"{result.IdentifierToken?.Value ?? option.Name} '{text}' is not one of {string.Join(", ", choices)}.");
        });

    public static string Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[0].Value : "";

    /// <summary>The option as the user typed it (<c>-n</c> or <c>--lines</c>).</summary>
    public static string OptionName(ArgumentResult result) =>
        result.Parent is OptionResult option ? option.IdentifierToken?.Value ?? option.Option.Name : result.Argument.Name;
}
