using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>
/// The sink's extension methods on <see cref="ILogger"/> live in namespace <c>Serilog</c>, which every Serilog user
/// imports, so a name they share with a popular package's extension can silently take that package's calls.
/// </summary>
public class ExtensionNameTests
{
    // SerilogTimings' own declaration, with its exact signature. The package is not on the feed these tests restore
    // from, so the snippet compiles against this stand-in instead of the real assembly.
    const string SerilogTimings = """
        namespace SerilogTimings.Extensions
        {
            public static class LoggerOperationExtensions
            {
                public static System.IDisposable TimeOperation(this Serilog.ILogger logger, string messageTemplate, params object[] args) =>
                    throw new System.NotImplementedException();
            }
        }
        """;

    const string Program = """
        using Serilog;
        using SerilogTimings.Extensions;

        ILogger logger = new LoggerConfiguration().CreateLogger();
        using (logger.TimeOperation("Submitting payment")) { }
        using (logger.TimeMetric("payment_duration")) { }
        """;

    [Test]
    public void WithSerilogTimingsImportedATemplateOnlyTimeOperationCallBindsToSerilogTimings() =>
        BoundMethod("TimeOperation").Should().Be("SerilogTimings.Extensions.LoggerOperationExtensions.TimeOperation");

    [Test]
    public void WithSerilogTimingsImportedTimeMetricBindsToTheSink() =>
        BoundMethod("TimeMetric").Should().Be("Serilog.SqliteWorkerMetricExtensions.TimeMetric");

    static string BoundMethod(string name)
    {
        var program = CSharpSyntaxTree.ParseText(Program, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            "SerilogTimingsAlongside",
            [program, CSharpSyntaxTree.ParseText(SerilogTimings, new CSharpParseOptions(LanguageVersion.Latest))],
            DocumentationCode.AssemblyReferences,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication)
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Should().BeEmpty();

        var call = program.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Single(i => i.Expression is MemberAccessExpressionSyntax m && m.Name.Identifier.Text == name);
        var method = (IMethodSymbol)compilation.GetSemanticModel(program).GetSymbolInfo(call).Symbol!;
        return $"{method.ContainingType.ToDisplayString()}.{method.Name}";
    }
}
