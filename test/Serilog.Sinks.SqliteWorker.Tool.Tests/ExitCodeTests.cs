using System.Diagnostics;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests;

/// <summary>The exit codes a script sees from the real process: 1 when a command fails while running, 130 when Ctrl+C interrupts it.</summary>
[Category(Needs.Slow)]
public sealed class ExitCodeTests
{
    [Test]
    public async Task ACommandThatFailsWhileRunningExitsWithOne()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        SinkDatabase.Write(path, logger => logger.Information("Hello"));
        var directory = Directory.CreateDirectory(folder.File("a-folder")).FullName;

        using var export = ToolProcess.Start("export", path, "--out", directory);
        var (exitCode, error) = await export.ExitAsync();

        exitCode.Should().Be(1, $"the export cannot write to a folder; the tool said: {error}");
        error.Should().StartWith("sqlite-logs: error: ").And.Contain(directory).And.EndWith("\n");
        error.TrimEnd().Should().NotContain("\n", "the error is one line");
    }

    [Category(Needs.Linux)]
    [Test]
    public async Task CtrlCDuringAnExportExitsWith130AndSaysItWasInterrupted()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        const int events = 20_000;
        SinkDatabase.Write(path, logger =>
        {
            for (var i = 0; i < events; i++)
                logger.Write(TestEvent.At(DateTimeOffset.UtcNow.AddSeconds(-i), LogEventLevel.Information, "Event {N} {Padding}",
                    properties: [("N", i), ("Padding", new string('x', 200))]));
        });
        // A named pipe as the export's file: the export can go no further than this test reads.
        var pipe = folder.File("export.jsonl");
        using (var mkfifo = Process.Start(Needs.LinuxProgram("mkfifo", "coreutils"), [pipe])!)
        {
            await mkfifo.WaitForExitAsync();
            mkfifo.ExitCode.Should().Be(0);
        }

        using var export = ToolProcess.Start("export", path, "--format", "jsonl", "--out", pipe);
        await using var reader = await Task.Run(() => new FileStream(pipe, FileMode.Open, FileAccess.Read))
            .WaitAsync(TimeSpan.FromSeconds(60));
        // The first bytes show the export is under way, its Ctrl+C handler set; it then waits for this test to read on.
        var first = new byte[1];
        (await reader.ReadAsync(first)).Should().Be(1);
        export.Interrupt();
        var rest = await new StreamReader(reader).ReadToEndAsync();
        var (exitCode, error) = await export.ExitAsync();

        exitCode.Should().Be(130, $"the tool said: {error}");
        error.Should().Be("sqlite-logs: error: Interrupted.\n");
        rest.Split('\n').Length.Should().BeLessThan(events, "the export stopped before its end");
    }
}
