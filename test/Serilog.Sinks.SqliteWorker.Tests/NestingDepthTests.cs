using System.Text.Json;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>
/// The properties column never nests deeper than <see cref="PropertiesJson.MaxDepth"/>: what SQLite's JSON functions and
/// System.Text.Json read with their default limits. A deeper value is kept as its rendered text, and the row says so.
/// </summary>
public sealed class NestingDepthTests
{
    static readonly JsonDocumentOptions AtTheLimit = new() { MaxDepth = PropertiesJson.MaxDepth };

    static string LogChain(TempFolder folder, int levels)
    {
        var path = folder.File("logs.db");
        using (var logger = new LoggerConfiguration().Destructure.ToMaximumDepth(levels + 10).WriteTo.SqliteWorker(path).CreateLogger())
            logger.Information("Deep {@N}", DeepNesting.Chain(levels));
        return path;
    }

    [TestCase(70)]
    [TestCase(1_500)]
    [TestCase(5_000)]
    public void ADeepValueIsFlattenedPastTheLimitAndTheRowNamesIt(int levels)
    {
        using var folder = new TempFolder();
        var path = LogChain(folder, levels);
        var properties = (string)Database.Scalar(path, "SELECT properties FROM logs")!;

        FluentActions.Invoking(() => JsonDocument.Parse(properties, AtTheLimit).Dispose()).Should().NotThrow();
        Database.Scalar(path, "SELECT json_valid(properties) FROM logs").Should().Be(1L);
        // N is level 2 of the column, so node 61 is level 63, the last object; node 62 is its rendered text.
        Database.Scalar(path, $"SELECT json_type(properties, '{DeepNesting.NodePath(61)}') FROM logs").Should().Be("object");
        Database.Scalar(path, $"SELECT json_type(properties, '{DeepNesting.NodePath(62)}') FROM logs").Should().Be("text");
        ((string)Database.Scalar(path, $"SELECT json_extract(properties, '{DeepNesting.NodePath(62)}') FROM logs")!)
            .Should().StartWith("Node { Level: 62, Child: Node { Level: 63, ").And.Contain($"Level: {levels - 1}, Child: null");
        Database.Scalar(path, "SELECT json_extract(properties, '$.\"$flattened\"') FROM logs").Should().Be("[\"N\"]");
        Database.Scalar(path, "SELECT COUNT(*) FROM logs WHERE json_extract(properties, '$.N.Level') = 0").Should().Be(1L);
        ((string)Database.Scalar(path, "SELECT message FROM logs")!).Should().Contain($"Level: {levels - 1}, Child: null",
            "the message is text, not JSON, and keeps every level");
    }

    [TestCase(62, false)]
    [TestCase(63, true)]
    public void NestingUpToTheLimitIsKeptAsJson(int levels, bool flattened)
    {
        using var folder = new TempFolder();
        var path = LogChain(folder, levels);

        Database.Scalar(path, $"SELECT json_type(properties, '{DeepNesting.NodePath(levels - 1)}') FROM logs")
            .Should().Be(flattened ? "text" : "object");
        Database.Scalar(path, "SELECT json_type(properties, '$.\"$flattened\"') FROM logs").Should().Be(flattened ? "array" : null);
    }

    [Test]
    public void SequencesAndDictionariesAreBoundedToo()
    {
        LogEventPropertyValue sequence = new ScalarValue(1);
        LogEventPropertyValue dictionary = new ScalarValue(2);
        for (var i = 0; i < 100; i++)
        {
            sequence = new SequenceValue([sequence]);
            dictionary = new DictionaryValue([KeyValuePair.Create(new ScalarValue("k"), dictionary)]);
        }

        var json = new PropertiesJson();
        var properties = new Dictionary<string, LogEventPropertyValue> { ["Shallow"] = new ScalarValue("s"), ["Sequence"] = sequence, ["Dictionary"] = dictionary };
        using var document = JsonDocument.Parse(json.Render(properties, []).ToString(), AtTheLimit);

        document.RootElement.GetProperty(PropertiesJson.FlattenedPropertyName).EnumerateArray().Select(e => e.GetString())
            .Should().Equal("Sequence", "Dictionary");
        JsonDocument.Parse(json.RenderValue(sequence), AtTheLimit).Dispose();
        json.Render(new Dictionary<string, LogEventPropertyValue> { ["Shallow"] = new ScalarValue("s") }, []).ToString()
            .Should().Be("{\"Shallow\":\"s\"}", "the list of flattened properties is the event's own");
    }
}
