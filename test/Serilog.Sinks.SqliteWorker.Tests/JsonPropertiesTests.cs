using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

public class JsonPropertiesTests
{
    sealed record Customer(int Id, string Name, Address Address);
    sealed record Address(string City, string[] Lines);

    static string WriteAndRead(Action<ILogger> log, string jsonPath, out string databasePath, TempFolder folder)
    {
        databasePath = folder.File("logs.db");
        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(databasePath).CreateLogger())
            log(logger);

        return Convert.ToString(Database.Scalar(databasePath, "SELECT json_extract(properties, @path) FROM logs", ("@path", jsonPath)),
            System.Globalization.CultureInfo.InvariantCulture)!;
    }

    [TestCase("say \"hi\"")]
    [TestCase("line one\nline two\r\n\ttabbed")]
    [TestCase("Ünïcødé — 日本語 — emoji 🚀")]
    [TestCase("back\\slash and \u0001 control")]
    public void StringsSurviveTheRoundTripExactly(string text)
    {
        using var folder = new TempFolder();
        WriteAndRead(l => l.Information("Text {Text}", text), "$.Text", out _, folder).Should().Be(text);
    }

    [Test]
    public void DestructuredObjectsKeepTheirStructure()
    {
        using var folder = new TempFolder();
        var customer = new Customer(7, "Ada", new Address("London", ["1 Main St", "Flat 2"]));

        WriteAndRead(l => l.Information("Customer {@Customer}", customer), "$.Customer.Address.Lines[1]", out var path, folder)
            .Should().Be("Flat 2");
        Database.Scalar(path, "SELECT json_extract(properties, '$.Customer.Id') FROM logs").Should().Be(7L);
        Database.Scalar(path, "SELECT json_extract(properties, '$.Customer.$type') FROM logs").Should().Be("Customer");
        Database.Scalar(path, "SELECT json_valid(properties) FROM logs").Should().Be(1L);
    }

    [Test]
    public void NullValuesAreJsonNull()
    {
        using var folder = new TempFolder();
        WriteAndRead(l => l.Information("Value {Value}", (string?)null), "$.Value", out var path, folder);

        Database.Scalar(path, "SELECT json_type(properties, '$.Value') FROM logs").Should().Be("null");
    }

    [Test]
    public void DictionariesAndSequencesAreJsonObjectsAndArrays()
    {
        using var folder = new TempFolder();
        var tags = new Dictionary<string, int> { ["a.b"] = 1, ["quote\"d"] = 2 };
        WriteAndRead(l => l.Information("Tags {Tags} and {Numbers}", tags, new[] { 1, 2, 3 }), "$.Numbers[2]", out var path, folder)
            .Should().Be("3");

        Database.Scalar(path, "SELECT json_extract(properties, '$.Tags.\"quote\\\"d\"') FROM logs").Should().Be(2L);
        Database.Scalar(path, "SELECT json_extract(properties, '$.Tags.\"a.b\"') FROM logs").Should().Be(1L);
    }

    [Test]
    public void PropertyNamesWithQuotesAndNonAsciiTextAreEscaped()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            logger.ForContext("na\"me", 1).ForContext("Größe", "groß").Information("Odd names");

        Database.Scalar(path, "SELECT json_valid(properties) FROM logs").Should().Be(1L);
        Database.Scalar(path, "SELECT json_extract(properties, '$.\"na\\\"me\"') FROM logs").Should().Be(1L);
        Database.Scalar(path, "SELECT json_extract(properties, '$.Größe') FROM logs").Should().Be("groß");
    }
}
