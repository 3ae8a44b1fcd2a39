using System.Text.Json;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests;

/// <summary>The one rule every table, line and error of the tool shows text from the file by.</summary>
public sealed class TerminalTextTests
{
    [TestCase("plain text, [brackets] and ünïcödé", "plain text, [brackets] and ünïcödé")]
    [TestCase("\u001b]0;PWNED\u0007", @"\e]0;PWNED\u0007")]
    [TestCase("cr\rtab\tbs\bdel\u007fnul\0", @"cr\rtab\tbs\u0008del\u007Fnul\u0000")]
    [TestCase("c1 \u0085\u009b\u0080", @"c1 \u0085\u009B\u0080")]
    [TestCase("bidi \u202eabc\u2066x\u2069\u200f", @"bidi \u202Eabc\u2066x\u2069\u200F")]
    [TestCase("separators \u2028\u2029", @"separators \u2028\u2029")]
    [TestCase("one\ntwo\r\nthree", "one\n    two\n    three")]
    public void ControlsAreEscapedAndLinesAfterTheFirstIndented(string text, string shown) =>
        TerminalText.Escape(text).Should().Be(shown);

    [Test]
    public void OneLineShowsLineBreaksAsEscapes() =>
        TerminalText.OneLine("a\nb\r\nc\u001b").Should().Be(@"a\nb\nc\e");

    [Test]
    public void MarkupIsEscapedAfterTheControls() =>
        TerminalText.Markup("[red]x[/]\u001b").Should().Be(@"[[red]]x[[/]]\e");

    [Test]
    public void JsonKeepsItsValueAndShowsBidiMarksAsEscapes()
    {
        // As LogJson writes it: the relaxed encoder leaves the override as it is.
        var json = JsonSerializer.Serialize(new { Text = "a\u202eb\u2028c" },
            new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.Should().Contain("\u202e");

        var shown = TerminalText.EscapeJson(json);

        shown.Should().Be("{\"Text\":\"a\\u202Eb\\u2028c\"}");
        JsonDocument.Parse(shown).RootElement.GetProperty("Text").GetString().Should().Be("a\u202eb\u2028c");
    }
}
