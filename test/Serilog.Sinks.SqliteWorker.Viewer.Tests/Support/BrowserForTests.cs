namespace Serilog.Sinks.SqliteWorker.Viewer.Tests.Support;

sealed partial class Browser
{
    /// <summary>Starts the Chromium on PATH; the running test must carry <c>[Category(Needs.Chromium)]</c>.</summary>
    public static Task<Browser> StartAsync(int width = 1366, int height = 860) =>
        LaunchAsync(Needs.Program(Needs.Chromium, "Chromium, which opens the viewer in these tests,",
            "Install it with `apt-get install chromium`", "chromium", "chromium-browser", "google-chrome"), width, height);
}
