using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>Serilog levels by name (<c>Warning</c>, any case) or by the three letters of Serilog's output (<c>WRN</c>).</summary>
static class LevelName
{
    public const string Choices = "Verbose, Debug, Information, Warning, Error, Fatal (or VRB, DBG, INF, WRN, ERR, FTL)";

    public static bool TryParse(string text, out LogEventLevel level)
    {
        foreach (var candidate in Enum.GetValues<LogEventLevel>())
        {
            if (string.Equals(text, candidate.ToString(), StringComparison.OrdinalIgnoreCase) ||
                string.Equals(text, Short(candidate), StringComparison.OrdinalIgnoreCase))
            {
                level = candidate;
                return true;
            }
        }

        level = default;
        return false;
    }

    /// <summary>The three-letter form of Serilog's <c>{Level:u3}</c>.</summary>
    public static string Short(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "VRB",
        LogEventLevel.Debug => "DBG",
        LogEventLevel.Information => "INF",
        LogEventLevel.Warning => "WRN",
        LogEventLevel.Error => "ERR",
        LogEventLevel.Fatal => "FTL",
        _ => level.ToString().ToUpperInvariant(),
    };
}
