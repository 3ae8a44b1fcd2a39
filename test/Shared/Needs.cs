using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Serilog.Sinks.SqliteWorker.Testing;

/// <summary>
/// What some tests need from outside .NET, each named by the NUnit category those tests carry. Where it is missing the
/// test is skipped, saying why and how to install it, so that plain <c>dotnet test</c> passes with only the .NET SDK;
/// where everything is required (<c>SQLITEWORKER_REQUIRE_ALL=1</c>, which CI's <c>.ci/run</c> sets, or <c>CI=true</c>)
/// the test fails instead, so that CI never passes by skipping.
/// </summary>
static class Needs
{
    /// <summary>Tests that open the HTML report in headless Chromium.</summary>
    public const string Chromium = "Chromium";

    /// <summary>Tests that read, change or lock a file with the sqlite3 command-line client, as another process.</summary>
    public const string Sqlite3Client = "Sqlite3Client";

    /// <summary>Tests that mount a small tmpfs of their own, which needs Linux and root (or CAP_SYS_ADMIN).</summary>
    public const string Root = "Root";

    /// <summary>Tests that use Linux and its ordinary programs (GNU <c>stat</c>, <c>kill</c>).</summary>
    public const string Linux = "Linux";

    /// <summary>Tests that run other programs as processes (writers, the web sample, the tool, a signal) and take seconds.</summary>
    public const string Slow = "Slow";

    /// <summary>Set to 1 to make a missing outside program or capability fail its tests rather than skip them.</summary>
    public const string RequireAllVariable = "SQLITEWORKER_REQUIRE_ALL";

    static readonly ConcurrentDictionary<string, string?> Found = new();

    /// <summary>True when every outside program and capability must be there: in CI, or when asked for.</summary>
    public static bool EverythingRequired =>
        Environment.GetEnvironmentVariable(RequireAllVariable) == "1" ||
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The full path of the first of <paramref name="names"/> found on PATH; when none is, the test stops (see
    /// <see cref="Missing"/>), saying that <paramref name="description"/> is not on PATH and <paramref name="install"/>.
    /// The running test must carry <paramref name="category"/>.
    /// </summary>
    public static string Program(string category, string description, string install, params string[] names)
    {
        CheckCategory(category);
        var path = Found.GetOrAdd(string.Join(' ', names), _ => names.Select(OnPath).FirstOrDefault(p => p != null));
        if (path == null)
            Missing(category, names.Length == 1 ? $"{description} is not on PATH" : $"{description} is not on PATH (looked for {string.Join(", ", names)})", install);
        return path;
    }

    /// <summary>
    /// Stops the running test because something from outside .NET is missing: skipped, with <paramref name="reason"/>
    /// and how to get it, or failed where everything is required. The running test must carry <paramref name="category"/>.
    /// </summary>
    [DoesNotReturn]
    public static void Missing(string category, string reason, string install)
    {
        CheckCategory(category);
        var message = $"{reason}. {install}.";
        if (EverythingRequired)
            Assert.Fail($"{message} Required here, where {RequireAllVariable}=1 or CI=true: CI runs every test.");
        Assert.Ignore($"{message} Skipped; where {RequireAllVariable}=1 or CI=true, as in CI, this fails instead.");
        throw new UnreachableException();
    }

    /// <summary>
    /// Fails a test that uses an outside program without carrying its category, wherever it runs, so that a filter such
    /// as <c>TestCategory!=Chromium</c> leaves out every test that needs Chromium.
    /// </summary>
    /// <summary>
    /// The full path of one of Linux's ordinary programs, <paramref name="name"/> from the Debian package
    /// <paramref name="package"/>; the test is skipped elsewhere, or where the program is missing (see <see cref="Missing"/>).
    /// The running test must carry <c>[Category(Needs.Linux)]</c>.
    /// </summary>
    public static string LinuxProgram(string name, string package)
    {
        if (!OperatingSystem.IsLinux())
            Missing(Linux, $"This test runs Linux's {name}", "Run it on Linux, as CI does");
        return Program(Linux, $"The {name} command", $"Install it with `apt-get install {package}`", name);
    }

    static void CheckCategory(string category)
    {
        for (ITest? test = TestExecutionContext.CurrentContext.CurrentTest; test != null; test = test.Parent)
        {
            if (test.Properties[PropertyNames.Category].Contains(category))
                return;
        }

        Assert.Fail($"This test needs something from outside .NET and must say so: add [Category(Needs.{category})] to it or to its class.");
    }

    static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => Path.Combine(folder, name))
        .FirstOrDefault(File.Exists);
}
