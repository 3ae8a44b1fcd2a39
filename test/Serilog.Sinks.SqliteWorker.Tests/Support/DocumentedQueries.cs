using System.Text.RegularExpressions;

namespace Serilog.Sinks.SqliteWorker.Tests.Support;

/// <summary>
/// The SQL blocks of docs/querying.md, found by the comment on their first line, so that the tests run exactly the
/// queries users are shown.
/// </summary>
static partial class DocumentedQueries
{
    [GeneratedRegex(@"```sql\n(?<sql>--[^\n]*\n.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlock();

    public static string Get(string title)
    {
        var page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "querying.md")).ReplaceLineEndings("\n");
        var blocks = SqlBlock().Matches(page).Select(m => m.Groups["sql"].Value)
            .Where(sql => sql.StartsWith($"-- {title}\n", StringComparison.Ordinal))
            .ToList();
        blocks.Should().ContainSingle($"docs/querying.md should show one SQL block titled '-- {title}'");
        return blocks[0];
    }
}
