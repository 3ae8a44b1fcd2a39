using System.Diagnostics;
using System.Text;

namespace Serilog.Sinks.SqliteWorker.Tests.Support;

/// <summary>
/// The test writer (test/Serilog.Sinks.SqliteWorker.TestWriter) running as a process of its own: numbered events from
/// several threads into one database. Disposing kills it if it is still running, so no test leaves one behind.
/// </summary>
sealed class WriterProcess : IDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();
    readonly StringBuilder _errors = new();
    readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    WriterProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Starts the writer; see the top of its Program.cs for the arguments after the path.</summary>
    public static WriterProcess Start(string databasePath, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Executable());
        start.ArgumentList.Add(databasePath);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        var writer = new WriterProcess(new Process { StartInfo = start });
        writer._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == null)
                return;
            lock (writer._output)
                writer._output.AppendLine(e.Data);
            if (e.Data == "started")
                writer._started.TrySetResult();
        };
        writer._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data != null)
                lock (writer._errors)
                    writer._errors.AppendLine(e.Data);
        };
        writer._process.Start();
        writer._process.BeginOutputReadLine();
        writer._process.BeginErrorReadLine();
        return writer;
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>What the writer's <c>SelfLog</c> wrote.</summary>
    public string Errors
    {
        get { lock (_errors) return _errors.ToString(); }
    }

    public void WaitUntilStarted()
    {
        var started = _started.Task.Wait(TimeSpan.FromSeconds(30));
        started.Should().BeTrue($"the writer should start within 30 s; it wrote:\n{Output}{Errors}");
    }

    /// <summary>SIGKILL on Linux and macOS: the process gets no chance to flush or close anything.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(30_000).Should().BeTrue("a killed writer should be gone within 30 s");
    }

    /// <summary>Waits for the writer to finish on its own, and checks that it says so.</summary>
    public void WaitForSuccess(TimeSpan timeout)
    {
        _process.WaitForExit(timeout).Should().BeTrue($"the writer should finish within {timeout}");
        _process.WaitForExit(); // the rest of the redirected output
        _process.ExitCode.Should().Be(0, $"the writer should exit cleanly; it wrote:\n{Output}{Errors}");
        Output.Should().Contain("done");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(30_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }

        _process.Dispose();
    }

    static string Executable()
    {
        // test/Serilog.Sinks.SqliteWorker.Tests/bin/<configuration>/<framework>/ -> the writer's folder of the same shape.
        var testFolder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var framework = testFolder.Name;
        var configuration = testFolder.Parent!.Name;
        var testProjects = testFolder.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(testProjects, "Serilog.Sinks.SqliteWorker.TestWriter", "bin", configuration, framework,
            "Serilog.Sinks.SqliteWorker.TestWriter.dll");
        File.Exists(path).Should().BeTrue($"the test writer should have been built with the tests, at {path}");
        return path;
    }
}
