using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>Every C# block of the README and of docs/ compiles against the built assemblies, as a user would paste it.</summary>
public class DocumentationCodeTests
{
    static IEnumerable<TestCaseData> Blocks() =>
        DocumentationCode.InRepository().Select(block => new TestCaseData(block).SetArgDisplayNames(block.ToString()));

    [TestCaseSource(nameof(Blocks))]
    public void TheBlockCompiles(CodeBlock block) =>
        DocumentationCode.Compile(block).Should().BeEmpty($"the C# block at {block} should compile as shown:\n{block.Code}");

    [Test]
    public void TheReadmeAndTheDocsHaveCSharpBlocks()
    {
        var blocks = DocumentationCode.InRepository().ToList();
        blocks.Should().Contain(b => b.File == "README.md");
        blocks.Select(b => b.File).Distinct().Should().HaveCountGreaterThan(2, "the docs pages show code too");
    }

    [Test]
    public void ABlockThatNeedsAUsingItDoesNotDeclareFailsToCompile()
    {
        const string markdown = """
            <!-- fragment: usings=Serilog.Sinks.SqliteWorker; wrap=logger-configuration -->
            ```csharp
            .WriteTo.SqliteWorker(new SqliteWorkerSinkOptions { DatabasePath = "logs.db" }, new BatchingOptions { BatchSizeLimit = 500 })
            ```
            """;
        var block = DocumentationCode.Find("example.md", markdown).Single();

        DocumentationCode.Compile(block).Should().ContainSingle().Which.Should().StartWith("example.md:3: CS0246");
    }

    [Test]
    public void TheSameBlockWithTheUsingCompiles()
    {
        const string markdown = """
            <!-- fragment: usings=Serilog.Configuration, Serilog.Sinks.SqliteWorker; wrap=logger-configuration -->
            ```csharp
            .WriteTo.SqliteWorker(new SqliteWorkerSinkOptions { DatabasePath = "logs.db" }, new BatchingOptions { BatchSizeLimit = 500 })
            ```
            """;
        var block = DocumentationCode.Find("example.md", markdown).Single();

        DocumentationCode.Compile(block).Should().BeEmpty();
    }

    [Test]
    public void ABlockInAListItemIsFoundAndCompiledWithoutItsIndent()
    {
        const string markdown = """
            - From .NET:

              ```csharp
              var count = "a b".Split(' ').Length
              ```
            """;
        var block = DocumentationCode.Find("example.md", markdown).Single();

        block.Code.Should().Be("var count = \"a b\".Split(' ').Length");
        DocumentationCode.Compile(block).Should().ContainSingle().Which.Should().StartWith("example.md:4: CS1002");
    }

    [Test]
    public void AnUnknownFragmentSettingIsAMistakeInTheDocs()
    {
        const string markdown = """
            <!-- fragment: wrap=somewhere -->
            ```csharp
            var x = 1;
            ```
            """;
        var block = DocumentationCode.Find("example.md", markdown).Single();

        FluentActions.Invoking(() => DocumentationCode.Compile(block)).Should().Throw<InvalidDataException>()
            .WithMessage("*'wrap=somewhere' is not a fragment setting*");
    }
}
