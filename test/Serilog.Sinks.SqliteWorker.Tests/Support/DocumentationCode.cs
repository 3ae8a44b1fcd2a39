using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Serilog.Sinks.SqliteWorker.Tests.Support;

/// <summary>
/// The C# blocks of the README and of <c>docs/*.md</c>, and a compiler for them against the assemblies this test
/// project references, so that code the docs show cannot drift from the API.
/// </summary>
/// <remarks>
/// A block compiles on its own as a program's top-level statements, with the usings an SDK project implies. A block
/// that is not a whole program says so in an HTML comment on the line before it, which Markdown does not show:
/// <c>&lt;!-- fragment: usings=Serilog.Configuration, Serilog.Sinks.SqliteWorker; wrap=logger-configuration --&gt;</c>.
/// <c>usings</c> adds namespaces; <c>wrap</c> puts the block where it belongs, with that place's using:
/// <c>logger-configuration</c> after <c>new LoggerConfiguration()</c> (<c>using Serilog;</c>), <c>sink-options</c> inside
/// <c>new SqliteWorkerSinkOptions { ... }</c> (<c>using Serilog.Sinks.SqliteWorker;</c>).
/// </remarks>
static partial class DocumentationCode
{
    static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    // Each surrounding brings the using that the code around it in a real program has.
    static readonly Dictionary<string, (string Using, string Before, string After)> Wraps = new()
    {
        ["logger-configuration"] = ("Serilog", "_ = new LoggerConfiguration()\n", ";\n"),
        ["sink-options"] = ("Serilog.Sinks.SqliteWorker", "_ = new SqliteWorkerSinkOptions\n{\n", "\n};\n"),
    };

    static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    // As an SDK project does: a package built against an older Serilog binds to the newer one at run time.
    static readonly Dictionary<string, ReportDiagnostic> SdkSuppressed = new()
    {
        ["CS1701"] = ReportDiagnostic.Suppress,
        ["CS1702"] = ReportDiagnostic.Suppress,
    };

    [GeneratedRegex(@"^<!--\s*fragment:(?<settings>.*?)-->\s*$")]
    private static partial Regex FragmentMarker();

    /// <summary>Every C# block of the README and the pages under docs/, in file order.</summary>
    public static IEnumerable<CodeBlock> InRepository()
    {
        var files = new[] { Path.Combine(Repository.Root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md").Order(StringComparer.Ordinal));
        return files.SelectMany(file => Find(Path.GetRelativePath(Repository.Root, file), File.ReadAllText(file)));
    }

    /// <summary>The C# blocks of one Markdown text.</summary>
    public static IEnumerable<CodeBlock> Find(string file, string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
                continue;

            // A block inside a list item is indented with its item; its code is not.
            var indent = lines[i].Length - lines[i].TrimStart().Length;
            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].Trim() != "```")
                end++;
            if (end == lines.Length)
                throw new InvalidDataException($"{file}:{i + 1}: the C# block is never closed.");

            var code = lines[start..end].Select(line => line[Math.Min(indent, line.Length - line.TrimStart().Length)..]);
            var marker = i > 0 ? FragmentMarker().Match(lines[i - 1].Trim()) : Match.Empty;
            yield return new CodeBlock(file, start + 1, string.Join('\n', code),
                marker.Success ? marker.Groups["settings"].Value : null);
            i = end;
        }
    }

    /// <summary>The block's errors and warnings, each as "line: id message", with lines counted in the Markdown file.</summary>
    public static IReadOnlyList<string> Compile(CodeBlock block)
    {
        var (usings, before, after) = Surroundings(block);
        var prologue = string.Concat(usings.Select(u => $"using {u};\n")) + before;
        var source = prologue + block.Code + "\n" + after;
        var prologueLines = prologue.Count(c => c == '\n');

        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            "DocumentationBlock",
            [tree],
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(SdkSuppressed));

        return compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => $"{block.File}:{LineInFile(block, d, prologueLines)}: {d.Id} {d.GetMessage()}")
            .ToList();
    }

    static int LineInFile(CodeBlock block, Diagnostic diagnostic, int prologueLines) =>
        diagnostic.Location.IsInSource
            ? block.Line + Math.Max(0, diagnostic.Location.GetLineSpan().StartLinePosition.Line - prologueLines)
            : block.Line;

    static (IEnumerable<string> Usings, string Before, string After) Surroundings(CodeBlock block)
    {
        var usings = new List<string>(ImplicitUsings);
        var (before, after) = ("", "");
        if (block.Fragment is null)
            return (usings, before, after);

        foreach (var setting in block.Fragment.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = setting.Split('=', 2, StringSplitOptions.TrimEntries);
            switch (parts)
            {
                case ["usings", var names]:
                    usings.AddRange(names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case ["wrap", var name] when Wraps.TryGetValue(name, out var wrap):
                    usings.Add(wrap.Using);
                    (before, after) = (wrap.Before, wrap.After);
                    break;
                default:
                    throw new InvalidDataException(
                        $"{block.File}:{block.Line}: '{setting}' is not a fragment setting; use usings=A, B and wrap={string.Join('|', Wraps.Keys)}.");
            }
        }

        return (usings, before, after);
    }

    // The assemblies the test host loads from this project's dependencies: the framework, Serilog, the sink, the query
    // helper, Serilog.Settings.Configuration and Microsoft.Extensions.*, System.Data.SQLite, and the test libraries.
    static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return [.. paths.Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(p => MetadataReference.CreateFromFile(p))];
    }
}

/// <summary>A C# block of a Markdown file: where it starts (the first line of code, counted from 1), its code, and the
/// settings of its fragment marker, if it has one.</summary>
public sealed record CodeBlock(string File, int Line, string Code, string? Fragment)
{
    public override string ToString() => $"{File}:{Line}";
}
