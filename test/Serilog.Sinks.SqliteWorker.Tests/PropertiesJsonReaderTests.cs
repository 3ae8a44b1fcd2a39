using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Tests;

public class PropertiesJsonReaderTests
{
    sealed record Customer(int Id, string Name, Address Address, decimal Balance);
    sealed record Address(string City, string[] Lines);
    enum Tier { Gold }

    sealed class ThrowsOnToString
    {
        public override string ToString() => throw new InvalidOperationException("no text for you");
    }

    static string Render(IEnumerable<LogEventProperty> properties) =>
        new PropertiesJson().Render(properties.ToDictionary(p => p.Name, p => p.Value), []).ToString();

    static LogEventPropertyValue Scalar(object? value) => new ScalarValue(value);

    static LogEventProperty Property(string name, object? value) => new(name, new ScalarValue(value));

    static LogEventPropertyValue SingleValue(string json) =>
        PropertiesJsonReader.Read(json).Should().ContainSingle().Which.Value;

    [Test]
    public void RenderedPropertiesReadBackToTheSameJson()
    {
        var lines = new SequenceValue([Scalar("1 Main St"), Scalar("Flat 2")]);
        var address = new StructureValue([Property("City", "Zürich"), new("Lines", lines)], "Address");
        LogEventProperty[] properties =
        [
            Property("Quoted", "say \"hi\" and 'bye'"),
            Property("Lines", "one\ntwo\r\n\tthree"),
            Property("Unicode", "Ünïcødé — 日本語 — 🚀 𝄞 \u2028"),
            Property("Control", "back\\slash \u0001 \u001f </script>"),
            Property("Empty", ""),
            Property("Long", 5L),
            Property("Negative", -42L),
            Property("Int", 7),
            Property("LongMax", long.MaxValue),
            Property("LongMin", long.MinValue),
            Property("ULongMax", ulong.MaxValue),
            Property("Double", 23.4),
            Property("Huge", 1e300),
            Property("Tiny", 5e-324),
            Property("Small", 1e-7),
            Property("MinusZero", -0.0),
            Property("WholeDouble", 23.0),
            Property("Float", 3.1f),
            Property("Decimal", 12.75m),
            Property("TrailingZeros", 1.50m),
            Property("Precise", 0.1234567890123456789m),
            Property("DecimalMax", decimal.MaxValue),
            Property("True", true),
            Property("False", false),
            Property("Null", null),
            Property("NaN", double.NaN),
            Property("When", new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2))),
            Property("$type", "at the top level, an ordinary property"),
            new("Sequence", new SequenceValue(
                [Scalar(1), Scalar("two"), Scalar(null), new SequenceValue([Scalar(3.5)]), new SequenceValue([])])),
            new("Tagged", new StructureValue([Property("Id", 7), new("Address", address)], "Customer")),
            new("Untagged", new StructureValue([Property("Id", 8), Property("Name", "anonymous")])),
            new("EmptyStructure", new StructureValue([])),
            new("TagOnly", new StructureValue([], "Marker")),
            new("PropertyNamedLikeTheTag", new StructureValue([Property("$type", "a property"), Property("X", 1)], "Outer")),
            new("Dictionary", new DictionaryValue(
            [
                new(new ScalarValue("a.b"), Scalar(1)),
                new(new ScalarValue("quote\"d"), Scalar(2)),
                new(new ScalarValue(""), Scalar(3)),
                new(new ScalarValue(" "), new DictionaryValue([new(new ScalarValue("inner"), Scalar(null))])),
            ])),
            new("EmptyDictionary", new DictionaryValue([])),
        ];

        var json = Render(properties);
        var readBack = PropertiesJsonReader.Read(json);

        readBack.Select(p => p.Name).Should().Equal(properties.Select(p => p.Name));
        Render(readBack).Should().Be(json);
    }

    [Test]
    public void PropertiesCapturedBySerilogReadBackToTheSameJson()
    {
        var logger = new LoggerConfiguration().CreateLogger();
        var values = new Dictionary<string, object?>
        {
            ["Customer"] = new Customer(7, "Ada", new Address("London", ["1 Main St", "Flat 2"]), 10.50m),
            ["Anonymous"] = new { Id = 1, Tags = new[] { "a", "b" }, Nested = new { Deeper = 2.5 } },
            ["Counts"] = new Dictionary<string, int> { ["a.b"] = 1, [""] = 2, ["quote\"d"] = 3 },
            ["ByNumber"] = new Dictionary<int, string?> { [1] = "one", [2] = null },
            ["Readings"] = new List<double> { 0.1, 1e-10, double.MaxValue },
            ["Id"] = new Guid("6f9619ff-8b86-d011-b42d-00cf4fc964ff"),
            ["Tier"] = Tier.Gold,
            ["Elapsed"] = TimeSpan.FromMilliseconds(1234.5),
            ["Bytes"] = new byte[] { 1, 2, 255 },
        };
        var properties = values.Select(v =>
        {
            logger.BindProperty(v.Key, v.Value, destructureObjects: true, out var property).Should().BeTrue();
            return property!;
        }).ToList();

        var json = Render(properties);

        json.Should().Contain("\"$type\":\"Customer\"", "the structure should carry its type tag for this test to mean anything");
        Render(PropertiesJsonReader.Read(json)).Should().Be(json);
    }

    [TestCase("5", typeof(long))]
    [TestCase("-9223372036854775808", typeof(long))]
    [TestCase("23.4", typeof(double))]
    [TestCase("23", typeof(long))]
    [TestCase("1E+300", typeof(double))]
    [TestCase("-0", typeof(double))]
    [TestCase("1.50", typeof(decimal))]
    [TestCase("0.1234567890123456789", typeof(decimal))]
    [TestCase("18446744073709551615", typeof(decimal))]
    [TestCase("100000000000000000000000000000000", typeof(double))]
    [TestCase("1e5", typeof(double))]
    [TestCase("1e400", typeof(double))]
    public void NumbersReadBackAsTheTypeThatRendersThemTheSame(string number, Type expected)
    {
        var value = SingleValue($"{{\"N\":{number}}}").Should().BeOfType<ScalarValue>().Which.Value;

        value.Should().BeOfType(expected);
    }

    [Test]
    public void ScalarsReadBackWithTheirValues()
    {
        var properties = PropertiesJsonReader.Read(
            "{\"Count\":5,\"Ratio\":23.4,\"Ok\":true,\"No\":false,\"Nothing\":null,\"Text\":\"a\\\"b\\n\\ud83d\\ude80\"}");

        properties.Select(p => ((ScalarValue)p.Value).Value).Should().Equal(5L, 23.4, true, false, null, "a\"b\n🚀");
        properties.Select(p => p.Name).Should().Equal("Count", "Ratio", "Ok", "No", "Nothing", "Text");
    }

    [Test]
    public void SequencesReadBackInOrder()
    {
        var sequence = SingleValue("{\"S\":[1,\"two\",[]]}").Should().BeOfType<SequenceValue>().Subject;

        sequence.Elements.Should().HaveCount(3);
        ((ScalarValue)sequence.Elements[1]).Value.Should().Be("two");
        sequence.Elements[2].Should().BeOfType<SequenceValue>().Which.Elements.Should().BeEmpty();
    }

    [Test]
    public void TheTypeTagBecomesTheStructuresTagAndNotAProperty()
    {
        var structure = SingleValue("{\"C\":{\"Id\":7,\"$type\":\"Customer\"}}").Should().BeOfType<StructureValue>().Subject;

        structure.TypeTag.Should().Be("Customer");
        structure.Properties.Select(p => p.Name).Should().Equal("Id");
    }

    [Test]
    public void ATypeTagIsReadWhereverItStandsInTheObject()
    {
        var structure = SingleValue("{\"C\":{\"$type\":\"Customer\",\"Id\":7}}").Should().BeOfType<StructureValue>().Subject;

        structure.TypeTag.Should().Be("Customer");
        structure.Properties.Select(p => p.Name).Should().Equal("Id");
    }

    [Test]
    public void ATypeMemberThatIsNotAStringIsAProperty()
    {
        var structure = SingleValue("{\"C\":{\"$type\":5}}").Should().BeOfType<StructureValue>().Subject;

        structure.TypeTag.Should().BeNull();
        structure.Properties.Should().ContainSingle().Which.Name.Should().Be("$type");
    }

    [Test]
    public void ObjectsWithoutATypeTagAreStructuresWithoutOne()
    {
        var structure = SingleValue("{\"C\":{\"Id\":7,\"Name\":\"Ada\"}}").Should().BeOfType<StructureValue>().Subject;

        structure.TypeTag.Should().BeNull();
        structure.Properties.Select(p => p.Name).Should().Equal("Id", "Name");
    }

    [Test]
    public void TypeAtTheTopLevelIsAnOrdinaryProperty()
    {
        var property = PropertiesJsonReader.Read("{\"$type\":\"Customer\"}").Should().ContainSingle().Subject;

        property.Name.Should().Be("$type");
        ((ScalarValue)property.Value).Value.Should().Be("Customer");
    }

    [Test]
    public void ObjectsWithBlankNamesAreDictionaries()
    {
        var dictionary = SingleValue("{\"D\":{\"\":1,\" \":2,\"$type\":\"x\",\"\":3}}").Should().BeOfType<DictionaryValue>().Subject;

        dictionary.Elements.Select(e => (e.Key.Value, ((ScalarValue)e.Value).Value))
            .Should().Equal(("", 3L), (" ", 2L), ("$type", "x"));
    }

    [Test]
    public void BlankNamesAtTheTopLevelAreSkipped()
    {
        var properties = PropertiesJsonReader.Read("{\"\":1,\"A\":2,\" \\t\":3}");

        properties.Should().ContainSingle().Which.Name.Should().Be("A");
    }

    [Test]
    public void ARepeatedTopLevelNameKeepsItsLastValue()
    {
        var properties = PropertiesJsonReader.Read("{\"A\":1,\"B\":2,\"A\":3}");

        properties.Select(p => (p.Name, ((ScalarValue)p.Value).Value)).Should().Equal(("A", 3L), ("B", 2L));
    }

    [Test]
    public void AnEmptyObjectGivesNoProperties()
    {
        PropertiesJsonReader.Read("{}").Should().BeEmpty();
        PropertiesJsonReader.Read(" { } ").Should().BeEmpty();
    }

    [TestCase("")]
    [TestCase("{")]
    [TestCase("not json")]
    [TestCase("{\"A\":1,}")]
    [TestCase("{\"A\":1} {}")]
    [TestCase("{'A':1}")]
    [TestCase("{\"A\":1 /* comment */}")]
    [TestCase("{\"A\":\"\\ud800\"}")] // Parses, but an escaped lone surrogate cannot become a string.
    public void MalformedJsonGivesOnePropertyWithTheRawText(string json)
    {
        var property = PropertiesJsonReader.Read(json).Should().ContainSingle().Subject;

        property.Name.Should().Be(PropertiesJsonReader.FallbackPropertyName);
        ((ScalarValue)property.Value).Value.Should().Be(json);
    }

    [TestCase("[1,2]")]
    [TestCase("\"text\"")]
    [TestCase("42")]
    [TestCase("null")]
    [TestCase("true")]
    public void JsonThatIsNotAnObjectGivesOnePropertyWithTheRawText(string json)
    {
        var property = PropertiesJsonReader.Read(json).Should().ContainSingle().Subject;

        property.Name.Should().Be("Properties");
        ((ScalarValue)property.Value).Value.Should().Be(json);
    }

    [Test]
    public void NullTextGivesOnePropertyHoldingNull()
    {
        var property = PropertiesJsonReader.Read(null!).Should().ContainSingle().Subject;

        property.Name.Should().Be("Properties");
        ((ScalarValue)property.Value).Value.Should().BeNull();
    }

    [Test]
    public void TheSinksErrorObjectReadsBackAsAProperty()
    {
        var json = GuardedRendering.RenderProperties(new PropertiesJson(),
            new Dictionary<string, LogEventPropertyValue> { ["Bad"] = new ScalarValue(new ThrowsOnToString()) }, []).ToString();

        var property = PropertiesJsonReader.Read(json).Should().ContainSingle().Subject;

        property.Name.Should().Be("$error");
        ((ScalarValue)property.Value).Value.Should().BeOfType<string>().Which.Should().Contain("no text for you");
    }

    [Test]
    public void ALoneSurrogateInTheTextIsReplacedRatherThanLosingTheRest()
    {
        var properties = PropertiesJsonReader.Read("{\"A\":\"x\ud800y\",\"B\":1}");

        properties.Select(p => ((ScalarValue)p.Value).Value).Should().Equal("x\ufffdy", 1L);
    }

    [Test]
    public void DeeplyNestedValuesReadBackToTheSameJson()
    {
        // Each level is a sequence or a structure: with the outer object, as deep as the sink writes.
        LogEventPropertyValue value = new ScalarValue("bottom");
        for (var depth = 0; depth < PropertiesJson.MaxDepth - 1; depth++)
            value = depth % 2 == 0
                ? new SequenceValue([value, new ScalarValue(depth)])
                : new StructureValue([new LogEventProperty("Inner", value)], depth % 3 == 0 ? "Level" : null);
        var json = Render([new LogEventProperty("Deep", value)]);

        var readBack = PropertiesJsonReader.Read(json);

        readBack.Should().ContainSingle().Which.Name.Should().Be("Deep");
        Render(readBack).Should().Be(json);
    }

    [Test]
    public void NestingUpToTheLimitIsReadAndDeeperFallsBackToTheRawText()
    {
        // The outer object is one level; each array adds one.
        static string Nested(int arrays) => "{\"A\":" + new string('[', arrays) + new string(']', arrays) + "}";

        var atLimit = Nested(PropertiesJsonReader.MaxDepth - 1);
        var tooDeep = Nested(PropertiesJsonReader.MaxDepth);
        var farTooDeep = Nested(100_000);

        PropertiesJsonReader.Read(atLimit).Should().ContainSingle().Which.Value.Should().BeOfType<SequenceValue>();
        foreach (var json in new[] { tooDeep, farTooDeep })
        {
            var property = PropertiesJsonReader.Read(json).Should().ContainSingle().Subject;
            property.Name.Should().Be("Properties");
            ((ScalarValue)property.Value).Value.Should().Be(json);
        }
    }
}
