using System.Text.RegularExpressions;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Table, index and column names are the only text that reaches SQL without being bound as a parameter,
/// so each one is checked against a strict pattern before any statement is built from it. Compiled into both the sink
/// and the query helper, so that both accept exactly the same names.
/// </summary>
static partial class SqlIdentifier
{
    const int MaxLength = 64;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= MaxLength } &&
        Pattern().IsMatch(name) &&
        !name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the parameter when <paramref name="name"/> is not a safe identifier.</summary>
    public static string Validate(string? name, string parameterName, string what = "table name", string example = "app_logs")
    {
        if (!IsValid(name))
            throw new ArgumentException(
                $"'{name}' is not a valid SQLite {what} for {parameterName}. Use 1 to {MaxLength} letters, digits and " +
                $"underscores, starting with a letter or underscore and not with 'sqlite_' (for example \"{example}\").",
                parameterName);
        return name!;
    }

    /// <summary>Quotes a name that <see cref="Validate"/> has already accepted.</summary>
    public static string Quote(string validatedName) => "\"" + validatedName + "\"";
}
