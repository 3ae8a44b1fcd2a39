using System.Diagnostics;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c> package), to open the HTML report as a person would. Tests that run it
/// carry <c>[Category(Needs.Chromium)]</c>; where it is not installed they are skipped, or fail in CI.
/// </summary>
static class Chromium
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Runs Chromium on <paramref name="page"/> with extra switches; returns its standard output and error.</summary>
    public static async Task<(string Output, string Error)> RunAsync(string page, params string[] switches)
    {
        var executable = Needs.Program(Needs.Chromium, "Chromium, which opens the HTML report in these tests,",
            "Install it with `apt-get install chromium`", "chromium", "chromium-browser", "google-chrome");

        var profile = Path.Combine(Path.GetTempPath(), "sqliteworker-tool-chromium", Guid.NewGuid().ToString("n"));
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--hide-scrollbars", $"--user-data-dir={profile}",
                 }.Concat(switches))
            start.ArgumentList.Add(argument);
        start.ArgumentList.Add(new Uri(page).AbsoluteUri);

        using var process = Process.Start(start)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Patience);
            await process.WaitForExitAsync(timeout.Token);
            return (await output, await error);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // Chromium's helpers may still be closing files; the temp folder is cleaned eventually.
            }
        }
    }
}
