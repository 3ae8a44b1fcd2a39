namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Replaces unpaired UTF-16 surrogates with U+FFFD before text is bound. The writer's connection hands strings to SQLite
/// as UTF-16, and SQLite's decoder pairs a lone high surrogate with whatever follows it, losing that character; this
/// keeps what .NET's UTF-8 encoder would have stored.
/// </summary>
static class WellFormedText
{
    /// <summary>The text itself when it is well formed, which is almost always; otherwise a repaired copy.</summary>
    public static string Of(string text)
    {
        // Most text holds no surrogate at all, and this search is vectorised.
        var surrogate = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (surrogate < 0)
            return text;

        var lone = NextLoneSurrogate(text, surrogate);
        if (lone < 0)
            return text;

        return string.Create(text.Length, (text, lone), static (chars, state) =>
        {
            state.text.CopyTo(chars);
            // Replacing a lone surrogate never pairs up others, so the search goes on from where it left off.
            for (var i = state.lone; i >= 0; i = NextLoneSurrogate(chars, i + 1))
                chars[i] = '\uFFFD';
        });
    }

    /// <summary>The index of the first surrogate from <paramref name="from"/> on that is not half of a pair, or -1.</summary>
    static int NextLoneSurrogate(ReadOnlySpan<char> chars, int from)
    {
        for (var i = from; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
                i++;
            else if (char.IsSurrogate(chars[i]))
                return i;
        }

        return -1;
    }
}
