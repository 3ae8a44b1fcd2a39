using System.Diagnostics;
using System.Globalization;

namespace Serilog.Sinks.SqliteWorker.Forwarding.Tests.Support;

/// <summary><c>sqlite-logs</c>, built with the tests, run as users run it: a process of its own, with NO_COLOR set.</summary>
sealed class ForwardProcess : IDisposable
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    readonly Process _process;
    readonly Task<string> _output;
    readonly System.Text.StringBuilder _error = new();
    readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    ForwardProcess(Process process)
    {
        _process = process;
        _output = process.StandardOutput.ReadToEndAsync();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data == null)
            {
                _errorClosed.TrySetResult();
                return;
            }

            lock (_error)
                _error.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
    }

    /// <summary>Waits until standard error has a line containing <paramref name="text"/>; fails the test after a minute.</summary>
    public async Task WaitForErrorAsync(string text)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            lock (_error)
            {
                if (_error.ToString().Contains(text, StringComparison.Ordinal))
                    return;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"sqlite-logs should write '{text}' to standard error");
            await Task.Delay(20);
        }
    }

    public static ForwardProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ToolPath());
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return new ForwardProcess(Process.Start(start)!);
    }

    /// <summary>Runs the tool to its end: its exit code, standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Start(environment, args);
        return await process.ExitAsync();
    }

    public int Id => _process.Id;

    /// <summary>SIGKILL: the process ends at once, with no chance to finish a batch or store its cursor.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGINT, as Ctrl+C in a terminal sends, through the system's kill command.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start(Needs.LinuxProgram("kill", "procps"), ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        kill.ExitCode.Should().Be(0, "kill should reach the tool's process");
    }

    public async Task<(int ExitCode, string Output, string Error)> ExitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(timeout.Token);
        await _errorClosed.Task.WaitAsync(timeout.Token);
        var output = await _output;
        lock (_error)
            return (_process.ExitCode, output, _error.ToString());
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    static string ToolPath()
    {
        // test/<project>/bin/<configuration>/<framework>/ -> src/Serilog.Sinks.SqliteWorker.Tool/bin/<configuration>/<framework>/
        var testFolder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var framework = testFolder.Name;
        var configuration = testFolder.Parent!.Name;
        var root = testFolder.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(root, "src", "Serilog.Sinks.SqliteWorker.Tool", "bin", configuration, framework, "Serilog.Sinks.SqliteWorker.Tool.dll");
        File.Exists(path).Should().BeTrue($"sqlite-logs should have been built with the tests, at {path}");
        return path;
    }
}
