using System.Diagnostics;
using System.Globalization;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

/// <summary>The built <c>sqlite-logs</c> run as users run it, a process of its own, with NO_COLOR set as a careful script would.</summary>
sealed class ToolProcess : IDisposable
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    readonly Process _process;
    readonly Task<string> _error;

    ToolProcess(Process process)
    {
        _process = process;
        _error = process.StandardError.ReadToEndAsync();
    }

    public static ToolProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Serilog.Sinks.SqliteWorker.Tool.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        return new ToolProcess(Process.Start(start)!);
    }

    public StreamReader Output => _process.StandardOutput;

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does, through the system's kill command.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start(Needs.LinuxProgram("kill", "procps"), ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        kill.ExitCode.Should().Be(0, "kill should reach the tool's process");
    }

    /// <summary>The exit code and standard error, once the process has ended; fails the test after a minute.</summary>
    public async Task<(int ExitCode, string Error)> ExitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(timeout.Token);
        return (_process.ExitCode, await _error);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
