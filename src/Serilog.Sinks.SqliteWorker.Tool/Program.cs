using System.Runtime.InteropServices;
using Serilog.Sinks.SqliteWorker.Tool;

// Ctrl+C (or SIGTERM) cancels the command, which ends a follow normally; a second Ctrl+C ends the process at once.
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !interrupted.IsCancellationRequested;
    interrupted.Cancel();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    interrupted.Cancel();
});

return await SqliteLogsApp.RunAsync(args, ToolConsole.FromSystemConsole(), interrupted.Token);
