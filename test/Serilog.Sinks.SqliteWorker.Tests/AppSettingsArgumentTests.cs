using System.Globalization;
using Microsoft.Extensions.Configuration;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>
/// Each argument of the flat <c>WriteTo.SqliteWorker(...)</c> overload, given in appsettings.json and read by
/// Serilog.Settings.Configuration, reaches the sink. Serilog.Settings.Configuration ignores an argument whose name no
/// parameter has, so each is shown to arrive: a value the sink refuses gives the ArgumentException that names it, and
/// the arguments that cannot be wrong change what is written.
/// </summary>
public class AppSettingsArgumentTests
{
    [TestCase("batchSizeLimit", "0")]
    [TestCase("bufferingTimeLimit", "\"00:00:00\"")]
    [TestCase("queueLimit", "0")]
    [TestCase("logsTableName", "\"logs; DROP TABLE logs\"")]
    [TestCase("metricsTableName", "\"logs\"")]
    [TestCase("synchronous", "\"7\"")]
    [TestCase("busyTimeout", "\"-00:00:01\"")]
    [TestCase("retentionPeriod", "\"00:00:00\"")]
    [TestCase("maxDatabaseSize", "1000")]
    [TestCase("customColumns", "[ { \"PropertyPath\": \"Host\", \"ColumnName\": \"bad name;\" } ]")]
    public void AnInvalidValueFromJsonIsRefusedByTheArgumentItWasGivenFor(string argument, string value)
    {
        using var folder = new TempFolder();

        var configuring = () => FromJson(folder, $$"""{ "databasePath": "x.db", "{{argument}}": {{value}} }""");

        var thrown = configuring.Should().Throw<Exception>().Which;
        var refusal = Unwrap(thrown).OfType<ArgumentException>().FirstOrDefault();
        refusal.Should().NotBeNull($"the sink should refuse the value; Serilog.Settings.Configuration threw {thrown}");
        refusal!.ParamName.Should().Be(argument);
    }

    [TestCase("restrictedToMinimumLevel", "\"Loud\"")]
    [TestCase("blockWhenFull", "\"sometimes\"")]
    public void AValueOfTheWrongKindFromJsonIsRefusedForAnArgumentTheSinkCannotCheck(string argument, string value)
    {
        using var folder = new TempFolder();
        var accepted = () => FromJson(folder, $$"""{ "databasePath": "{{Json(folder.File("a.db"))}}", "{{argument}}": {{Valid(argument)}} }""");
        accepted().Dispose();

        var configuring = () => FromJson(folder, $$"""{ "databasePath": "x.db", "{{argument}}": {{value}} }""");

        // Only an argument bound to a parameter is converted, and so can fail to convert.
        configuring.Should().Throw<Exception>().Which.ToString().Should().Contain(value.Trim('"'));
    }

    [Test]
    public void TheFormatProviderAndLevelSwitchFromJsonChangeWhatIsWritten()
    {
        using var folder = new TempFolder();
        var path = folder.File("levels.db");

        using (var logger = FromJson(folder, $$"""
                   {
                     "databasePath": "{{Json(path)}}",
                     "restrictedToMinimumLevel": "Information",
                     "formatProvider": "Serilog.Sinks.SqliteWorker.Tests.JsonFormatProviders::DecimalComma, Serilog.Sinks.SqliteWorker.Tests",
                     "levelSwitch": "$sinkSwitch"
                   }
                   """, levelSwitches: """{ "$sinkSwitch": "Warning" }"""))
        {
            logger.Information("Below the switch");
            logger.Warning("Written {Value}", 1.5);
        }

        Database.Query(path, "SELECT message FROM logs").Select(r => r["message"]).Should().Equal("Written 1,5");
    }

    static string Valid(string argument) => argument == "blockWhenFull" ? "true" : "\"Information\"";

    static IEnumerable<Exception> Unwrap(Exception exception)
    {
        for (Exception? ex = exception; ex != null; ex = ex.InnerException)
            yield return ex;
    }

    static string Json(string path) => path.Replace("\\", "\\\\");

    static Core.Logger FromJson(TempFolder folder, string args, string levelSwitches = "{}")
    {
        var settings = folder.File($"appsettings-{Guid.NewGuid():n}.json");
        File.WriteAllText(settings, $$"""
            {
              "Serilog": {
                "Using": [ "Serilog.Sinks.SqliteWorker" ],
                "LevelSwitches": {{levelSwitches}},
                "MinimumLevel": "Verbose",
                "WriteTo": [ { "Name": "SqliteWorker", "Args": {{args}} } ]
              }
            }
            """);
        return new LoggerConfiguration().ReadFrom.Configuration(new ConfigurationBuilder().AddJsonFile(settings).Build()).CreateLogger();
    }
}

/// <summary>A format provider that appsettings.json can name, as Serilog.Settings.Configuration reads a static member.</summary>
public static class JsonFormatProviders
{
    /// <summary>Writes numbers with a decimal comma, which no default culture here would.</summary>
    public static IFormatProvider DecimalComma { get; } = DecimalCommaCulture();

    static CultureInfo DecimalCommaCulture()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        return culture;
    }
}
