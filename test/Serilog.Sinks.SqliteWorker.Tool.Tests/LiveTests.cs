using System.Diagnostics;
using System.Text.Json;
using Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests;

/// <summary><c>tail -f</c> while a real logger writes, in-process and as a real process ended by Ctrl+C (SIGINT).</summary>
public sealed class LiveTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task TailFollowSeesEventsWrittenAfterItStarted()
    {
        using var folder = new TempFolder();
        var path = folder.File("live.db");
        SinkDatabase.Write(path, logger =>
        {
            for (var i = 0; i < 5; i++)
                logger.Information("Before {N}", i);
        });
        await using var logger = SinkDatabase.CreateLogger(path);

        var output = new CapturedWriter();
        using var stop = new CancellationTokenSource();
        var tail = SqliteLogs.RunAsync(["tail", path, "-n", "2", "-f", "--poll", "50ms", "--json"], output, stop.Token);
        await WaitFor(() => output.Lines.Length >= 2);

        for (var i = 0; i < 3; i++)
            logger.Information("After {N}", i);
        logger.Warning("Not for this tail");
        await WaitFor(() => output.Lines.Length >= 6);
        await stop.CancelAsync();
        var result = await tail;

        result.ExitCode.Should().Be(0, "Ctrl+C is how a follow ends");
        output.Lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("message").GetString())
            .Should().Equal("Before 3", "Before 4", "After 0", "After 1", "After 2", "Not for this tail");
    }

    [Test]
    public async Task TailFollowWaitsForAFileNotMadeYetAndFollowsItOnceTheSinkMakesIt()
    {
        using var folder = new TempFolder();
        var path = folder.File("later.db");
        var output = new CapturedWriter();
        var error = new CapturedWriter();
        using var stop = new CancellationTokenSource();

        var tail = SqliteLogs.RunAsync(["tail", path, "-f", "--poll", "50ms", "--json"], output, error, stop.Token);
        await WaitFor(() => error.Lines.Length >= 1 || tail.IsCompleted);
        tail.IsCompleted.Should().BeFalse("a follow waits for the file, as tail -F does: {0}", error.Text);
        error.Lines.Should().ContainSingle().Which.Should().Be($"sqlite-logs: waiting for '{path}', which does not exist yet; " +
                                                               "the sink creates it when it writes its first batch.");
        await using (var logger = SinkDatabase.CreateLogger(path))
        {
            logger.Information("First {N}", 1);
            await WaitFor(() => output.Lines.Length >= 1);
            logger.Information("Second {N}", 2);
            await WaitFor(() => output.Lines.Length >= 2);
        }

        await stop.CancelAsync();
        var result = await tail;

        result.ExitCode.Should().Be(0, result.Error);
        output.Lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("message").GetString()).Should().Equal("First 1", "Second 2");
        error.Lines.Should().HaveCount(2).And.EndWith($"sqlite-logs: '{path}' has appeared; following it.");
    }

    [Test]
    public async Task TailWithoutFollowOnAMissingFileStillExitsWith3()
    {
        using var folder = new TempFolder();

        var result = await SqliteLogs.RunAsync("tail", folder.File("missing.db"));

        result.ExitCode.Should().Be(ExitCodes.DatabaseNotFound);
    }

    [Test]
    public async Task TailFollowHonoursTheFilters()
    {
        using var folder = new TempFolder();
        var path = folder.File("filtered.db");
        SinkDatabase.Write(path, logger => logger.Error("Before"));
        await using var logger = SinkDatabase.CreateLogger(path);

        var output = new CapturedWriter();
        using var stop = new CancellationTokenSource();
        var tail = SqliteLogs.RunAsync(["tail", path, "-n", "0", "-f", "--poll", "50ms", "--min-level", "Error", "--utc"], output, stop.Token);
        await Task.Delay(200);
        logger.Information("Quiet");
        logger.Error("Loud {N}", 1);
        await WaitFor(() => output.Lines.Length >= 1);
        await Task.Delay(200);
        await stop.CancelAsync();

        (await tail).ExitCode.Should().Be(0);
        output.Lines.Should().ContainSingle().Which.Should().EndWith("[ERR] Loud 1");
    }

    [Test]
    public async Task TheRealToolFollowsUntilCtrlCAndReportsErrorsWithExitCodes()
    {
        using var folder = new TempFolder();
        var path = folder.File("process.db");
        SinkDatabase.Write(path, logger => logger.Information("First"));
        await using var logger = SinkDatabase.CreateLogger(path);

        using var tail = Start("tail", path, "-f", "--poll", "100ms", "--utc");
        using var cleanup = KillIfStillRunning(tail);
        var lines = new List<string>();
        var firstLine = new TaskCompletionSource();
        var afterLine = new TaskCompletionSource();
        tail.OutputDataReceived += (_, e) =>
        {
            if (e.Data == null)
                return;
            lock (lines)
                lines.Add(e.Data);
            if (e.Data.EndsWith("First", StringComparison.Ordinal))
                firstLine.TrySetResult();
            if (e.Data.EndsWith("Written later", StringComparison.Ordinal))
                afterLine.TrySetResult();
        };
        tail.BeginOutputReadLine();
        var errors = tail.StandardError.ReadToEndAsync();

        await firstLine.Task.WaitAsync(Patience);
        logger.Information("Written later");
        await afterLine.Task.WaitAsync(Patience);
        Process.Start("kill", ["-INT", tail.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        (await WaitForExit(tail)).Should().Be(0, "Ctrl+C ends a follow normally");
        (await errors).Should().BeEmpty();
        lock (lines)
            lines.Should().HaveCount(2).And.Contain(l => l.Contains("[INF] Written later"));

        using var missing = Start("stats", folder.File("missing.db"));
        var missingError = await missing.StandardError.ReadToEndAsync();
        (await WaitForExit(missing)).Should().Be(3);
        missingError.Should().StartWith("sqlite-logs: error: There is no database file").And.EndWith("\n");
        missingError.TrimEnd().Should().NotContain("\n");

        using var badDuration = Start("prune", path, "--older-than", "soon");
        var badError = await badDuration.StandardError.ReadToEndAsync();
        (await WaitForExit(badDuration)).Should().Be(2);
        badError.Should().StartWith("sqlite-logs: error: 'soon' is not a duration");
    }

    /// <summary>The built tool, run as users run it, with NO_COLOR set as a careful script would.</summary>
    static Process Start(params string[] args)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "Serilog.Sinks.SqliteWorker.Tool.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(tool);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        return Process.Start(start)!;
    }

    /// <summary>So that a failed test leaves no tail running.</summary>
    static ProcessGuard KillIfStillRunning(Process process) => new(process);

    sealed class ProcessGuard(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    static async Task<int> WaitForExit(Process process)
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode;
    }

    static async Task WaitFor(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
            await Task.Delay(20, timeout.Token);
    }
}
