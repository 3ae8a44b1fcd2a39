using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Forwarding;

/// <summary>
/// A forwarder's run, tied to a logger's life: Serilog disposes its sinks when the logger is disposed, which is the
/// moment to stop. It ignores the events it is given; what it forwards is what the SQLite sink commits.
/// </summary>
sealed class ForwardingRunner : ILogEventSink, IDisposable, IAsyncDisposable
{
    readonly SqliteForwarder _forwarder;
    readonly CancellationTokenSource _stop = new();
    readonly Task _run;

    public ForwardingRunner(SqliteForwarder forwarder)
    {
        _forwarder = forwarder;
        _run = Task.Run(() => forwarder.RunAsync(_stop.Token));
    }

    public void Emit(LogEvent logEvent)
    {
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("The forwarder of {0} stopped with an error: {1}", _forwarder.Destination, ex);
        }

        _forwarder.Dispose();
        _stop.Dispose();
    }
}
