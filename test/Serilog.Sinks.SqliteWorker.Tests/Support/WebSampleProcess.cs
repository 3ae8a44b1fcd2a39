using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Serilog.Sinks.SqliteWorker.Tests.Support;

/// <summary>The web sample, running as a process of its own on a free loopback port.</summary>
sealed partial class WebSampleProcess : IDisposable
{
    readonly Process _process;
    readonly List<string> _output = [];

    [GeneratedRegex(@"Now listening on: ""?(?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();

    public WebSampleProcess(string databasePath)
    {
        // Built by the test project's reference to it, in the same configuration as the tests.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var sample = Path.Combine(Repository.Root, "sample", "SqliteWorkerSample.Web");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = sample,
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(sample, "bin", configuration, "net10.0", "SqliteWorkerSample.Web.dll"),
                     "--urls", "http://127.0.0.1:0",
                     "--contentRoot", sample,
                     $"--Serilog:WriteTo:Sqlite:Args:databasePath={databasePath}",
                 })
            start.ArgumentList.Add(argument);

        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Collect(e.Data, listening);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data, listening);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        if (!listening.Task.Wait(TimeSpan.FromSeconds(60)))
            Assert.Fail($"The web sample did not start listening within 60 s. Its output:\n{Output}");
        BaseAddress = new Uri(listening.Task.Result);
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    void Collect(string? line, TaskCompletionSource<string> listening)
    {
        if (line == null)
            return;
        lock (_output)
            _output.Add(line);
        if (ListeningOn().Match(line) is { Success: true } match)
            listening.TrySetResult(match.Groups["url"].Value);
    }

    /// <summary>Asks the app to shut down as a service manager would (SIGTERM), and waits until it has.</summary>
    public void Stop()
    {
        if (_process.HasExited)
            return;
        using (var kill = Process.Start(Needs.LinuxProgram("kill", "procps"), ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        _process.WaitForExit(TimeSpan.FromSeconds(30)).Should().BeTrue("the web sample should shut down within 30 s of SIGTERM");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
