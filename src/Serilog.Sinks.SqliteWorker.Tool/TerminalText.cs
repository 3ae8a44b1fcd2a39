using System.Globalization;
using System.Text;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// Text from the database made safe to show on a terminal, for every table and line the tool writes. Any character a
/// terminal would act on instead of show is written as a visible escape: C0 and C1 controls and DEL (so no escape
/// sequence can set the title, move the cursor, clear the screen or make a link), and the bidirectional and line
/// separator marks that reorder or break what is shown. A line break stays a line break, but the line after it is
/// indented, so that only an event's first line starts at the margin and a logged value can never pass for an event.
/// </summary>
static class TerminalText
{
    /// <summary>What each line after the first starts with.</summary>
    public const string ContinuationIndent = "    ";

    /// <summary>The text with every control character escaped and each line after the first indented.</summary>
    public static string Escape(string text) => Escape(text, "\n" + ContinuationIndent);

    /// <summary>The text escaped as <see cref="Escape(string)"/> does, but on one line: a line break is shown as <c>\n</c>.</summary>
    public static string OneLine(string text) => Escape(text, "\\n");

    static string Escape(string text, string lineBreak)
    {
        if (!NeedsEscaping(text))
            return text;

        var escaped = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                continue;
            if (c == '\n')
                escaped.Append(lineBreak);
            else if (!IsUnsafe(c))
                escaped.Append(c);
            else if (c == '\u001b')
                escaped.Append("\\e");
            else if (c == '\r')
                escaped.Append("\\r");
            else if (c == '\t')
                escaped.Append("\\t");
            else
                escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }

        return escaped.ToString();
    }

    /// <summary>
    /// JSON text with the marks that JSON leaves unescaped and <see cref="Escape(string)"/> does not (bidirectional marks
    /// and the Unicode line separators) written as <c>\uXXXX</c> escapes. Outside its strings JSON is ASCII, so this only
    /// changes how a string is written, never what it holds; the serializer has escaped every other control already.
    /// </summary>
    public static string EscapeJson(string json)
    {
        if (!NeedsEscaping(json))
            return json;

        var escaped = new StringBuilder(json.Length + 16);
        foreach (var c in json)
        {
            if (IsUnsafe(c))
                escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else
                escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>The text escaped as <see cref="Escape(string)"/> does, then for Spectre.Console, which reads brackets as markup.</summary>
    public static string Markup(string text) => Spectre.Console.Markup.Escape(Escape(text));

    static bool NeedsEscaping(string text)
    {
        foreach (var c in text)
        {
            if (c == '\n' || IsUnsafe(c))
                return true;
        }

        return false;
    }

    // C0 controls, DEL and C1 controls; the explicit bidirectional marks, embeddings, overrides and isolates, which can
    // make text read in another order than it is stored; and the Unicode line and paragraph separators.
    static bool IsUnsafe(char c) =>
        c < ' ' || c is >= '\u007f' and <= '\u009f' ||
        c is '\u061c' or '\u200e' or '\u200f' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') or '\u2028' or '\u2029';
}
