namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// A SQLite URI filename (https://sqlite.org/uri.html), such as <c>file:logs.db?cache=private</c> or
/// <c>file:order-tests?mode=memory&amp;cache=shared</c>, read by SQLite's own rules. Compiled into both the sink and
/// the query helper, so that both take the same text to mean the same database.
/// </summary>
sealed class SqliteUri
{
    const string Scheme = "file:";

    readonly string _base;
    readonly string[] _parameters;

    SqliteUri(string text, string @base, string[] parameters, string? filePath, bool isMemory)
    {
        Text = text;
        _base = @base;
        _parameters = parameters;
        FilePath = filePath;
        IsMemory = isMemory;
    }

    /// <summary>The URI as it was given.</summary>
    public string Text { get; }

    /// <summary>The full path of the file the URI names, or null for an in-memory database.</summary>
    public string? FilePath { get; }

    /// <summary>True for <c>mode=memory</c>, <c>vfs=memdb</c> and the path <c>:memory:</c>: a database that lives only in this process.</summary>
    public bool IsMemory { get; }

    /// <summary>True when <paramref name="path"/> is a URI filename rather than a file path, as SQLite decides it.</summary>
    public static bool IsUri(string path) => path.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <param name="uri">Text for which <see cref="IsUri"/> is true.</param>
    /// <param name="parameterName">The parameter the URI came through, for the exception.</param>
    /// <exception cref="ArgumentException">SQLite would refuse the URI; the message says why.</exception>
    public static SqliteUri Parse(string uri, string parameterName)
    {
        var end = uri.IndexOfAny(['?', '#']);
        var @base = end < 0 ? uri : uri[..end];
        var query = end >= 0 && uri[end] == '?' ? uri[(end + 1)..].Split('#', 2)[0] : "";
        var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries);

        var path = @base[Scheme.Length..];
        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            var slash = path.IndexOf('/', 2);
            var authority = slash < 0 ? path[2..] : path[2..slash];
            if (authority.Length > 0 && !string.Equals(authority, "localhost", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException(
                    $"The database URI '{uri}' names the host '{authority}'; SQLite opens local files only. Write file:/path/to/logs.db " +
                    "or file:///path/to/logs.db.", parameterName);
            path = slash < 0 ? "" : path[slash..];
        }

        path = Uri.UnescapeDataString(path);
        // As SQLite does on Windows: file:///C:/logs.db names C:/logs.db.
        if (OperatingSystem.IsWindows() && path.Length >= 3 && path[0] == '/' && char.IsAsciiLetter(path[1]) && path[2] == ':')
            path = path[1..];
        var isMemory = path == ":memory:" ||
                       parameters.Any(p => (Name(p), Value(p)) is ("mode", "memory") or ("vfs", "memdb"));
        string? filePath = null;
        if (!isMemory)
        {
            if (path.Length == 0)
                throw new ArgumentException(
                    $"The database URI '{uri}' names no file. Write one such as file:logs.db, or file:name?mode=memory&cache=shared " +
                    "for a shared in-memory database.", parameterName);
            filePath = UserPath.ToFull(path, "database URI's path", parameterName);
        }

        return new SqliteUri(uri, @base, parameters, filePath, isMemory);
    }

    /// <summary>
    /// The same URI with its <c>mode</c> parameter set to <paramref name="mode"/> (<c>ro</c>, <c>rw</c>), replacing any
    /// given; an in-memory URI keeps <c>mode=memory</c>. SQLite refuses a mode less strict than the connection's flags,
    /// so a reader cannot keep a writer's <c>mode=rwc</c>.
    /// </summary>
    public string WithMode(string mode) =>
        IsMemory ? Text : _base + "?" + string.Join('&', _parameters.Where(p => Name(p) != "mode").Append("mode=" + mode));

    static string Name(string parameter) => Uri.UnescapeDataString(parameter.Split('=', 2)[0]);

    static string Value(string parameter) => parameter.Split('=', 2) is [_, var value] ? Uri.UnescapeDataString(value) : "";
}
