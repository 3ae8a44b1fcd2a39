using System.Globalization;
using Serilog.Events;
using Serilog.Formatting.Json;
using Serilog.Parsing;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>
/// The sink formats common scalars itself, into its buffers; whatever it writes must be what Serilog's own renderers
/// write, value for value, format for format, culture for culture.
/// </summary>
public class ScalarFastPathTests
{
    static readonly MessageTemplateParser Parser = new();

    static readonly object?[] Values =
    [
        null, "", "text", "with \"quotes\"", "tab\tand\nnewline", "ünïcödé", "{braces}",
        0, 42, -7, int.MaxValue, int.MinValue, 0L, long.MaxValue, long.MinValue,
        0.0, -0.0, 23.4, 1.0 / 3, 1e-300, 1e300, double.MaxValue, double.Epsilon, double.NaN, double.PositiveInfinity, double.NegativeInfinity,
        1.5f, float.NaN, 12.345m, -0.001m, (short)-5, (ushort)5, 7u, ulong.MaxValue, (byte)200, (sbyte)-3,
        true, false, 'c',
        new DateTime(2026, 11, 27, 17, 39, 59, 123, DateTimeKind.Utc), new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Local),
        new DateTimeOffset(2026, 11, 27, 17, 39, 59, TimeSpan.FromHours(-5)), TimeSpan.FromMilliseconds(1234.5), TimeSpan.FromDays(-3),
        Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), DayOfWeek.Friday, new Uri("https://example.com/a?b=c"),
    ];

    static readonly string?[] Formats = [null, "l", "0.00", "x8", "N2", "G", "R", "E3", "yyyy-MM-dd", "c", "D", "o", "hh\\:mm", "{0}"];

    static IEnumerable<IFormatProvider?> Providers() =>
        [null, CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo("de-DE"), CultureInfo.GetCultureInfo("fr-FR"), new UpperCaseFormatter()];

    [Test]
    public void EveryValueInEveryFormatAndCultureRendersInTheMessageAsSerilogRendersIt()
    {
        foreach (var provider in Providers())
        foreach (var format in Formats)
        foreach (var value in Values)
        {
            var template = Parser.Parse(format == null ? "Value: {Value}!" : $"Value: {{Value:{format}}}!");
            var properties = new Dictionary<string, LogEventPropertyValue> { ["Value"] = new ScalarValue(value) };

            var expected = Render(() => { var w = new StringWriter(); template.Render(properties, w, provider); return w.ToString(); });
            var actual = Render(() => { var w = new StringWriter(); ScalarFastPath.RenderMessage(template, properties, w, provider); return w.ToString(); });

            actual.Should().Be(expected, $"the value {value ?? "null"} ({value?.GetType().Name}) with format {format ?? "none"} and provider {provider}");
        }
    }

    [Test]
    public void TemplatesWithMissingAlignedAndStructuredPropertiesRenderAsSerilogRendersThem()
    {
        var properties = new Dictionary<string, LogEventPropertyValue>
        {
            ["Number"] = new ScalarValue(12.5),
            ["Name"] = new ScalarValue("Ada"),
            ["Items"] = new SequenceValue([new ScalarValue(1), new ScalarValue("two")]),
            ["Shape"] = new StructureValue([new LogEventProperty("Side", new ScalarValue(3))], "Square"),
            ["Map"] = new DictionaryValue([new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("k"), new ScalarValue(1.25))]),
            ["Derived"] = new DerivedScalar(5),
        };
        string[] templates =
        [
            "", "No properties at all", "{Number}", "{Missing} and {Number}", "[{Number,8}] [{Name,-6}] [{Name,2}]", "{Number,10:0.000}",
            "{Items} {Shape} {Map}", "{@Shape} {$Name} {Name:l} {Name}", "{{escaped}} {Number}", "{0} positional {1}", "{Derived} {Derived:x4}",
        ];

        foreach (var provider in Providers())
        foreach (var text in templates)
        {
            var template = Parser.Parse(text);
            var expected = new StringWriter();
            template.Render(properties, expected, provider);
            var actual = new StringWriter();
            ScalarFastPath.RenderMessage(template, properties, actual, provider);

            actual.ToString().Should().Be(expected.ToString(), $"the template \"{text}\" with provider {provider}");
        }
    }

    [Test]
    public void EveryValueIsWrittenAsJsonAsSerilogsJsonValueFormatterWritesIt()
    {
        var formatter = new JsonValueFormatter(typeTagName: "$type");
        // The sink's rendering runs on logging threads whose culture is the application's; JSON must not follow it.
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            LogEventPropertyValue[] others =
            [
                new SequenceValue([new ScalarValue(1.5), new ScalarValue("x")]),
                new StructureValue([new LogEventProperty("A", new ScalarValue(2.25))], "T"),
                new DictionaryValue([new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(1), new ScalarValue(null))]),
                new DerivedScalar(4.5),
            ];
            foreach (var value in Values.Select(v => (LogEventPropertyValue)new ScalarValue(v)).Concat(others))
            {
                var expected = new StringWriter();
                formatter.Format(value, expected);
                var actual = new StringWriter();
                ScalarFastPath.WriteJson(value, formatter, actual);

                actual.ToString().Should().Be(expected.ToString(), $"the value {value}");
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    // Both renderers may throw for the same bad format; what matters then is that they agree.
    static string Render(Func<string> render)
    {
        try
        {
            return render();
        }
        catch (FormatException ex)
        {
            return $"FormatException: {ex.Message}";
        }
    }

    /// <summary>A scalar that renders itself its own way, as a subclass may; the sink must leave it to its override.</summary>
    sealed class DerivedScalar(object value) : ScalarValue(value)
    {
        public override void Render(TextWriter output, string? format = null, IFormatProvider? formatProvider = null) =>
            output.Write($"<derived {Value}>");
    }

    /// <summary>A provider with a custom formatter, which Serilog consults before anything else.</summary>
    sealed class UpperCaseFormatter : IFormatProvider, ICustomFormatter
    {
        public object? GetFormat(Type? formatType) => formatType == typeof(ICustomFormatter) ? this : CultureInfo.InvariantCulture.GetFormat(formatType);

        public string Format(string? format, object? arg, IFormatProvider? formatProvider) =>
            (arg is IFormattable f ? f.ToString(format, CultureInfo.InvariantCulture) : arg?.ToString() ?? "").ToUpperInvariant();

        public override string ToString() => "an upper-case custom formatter";
    }
}
