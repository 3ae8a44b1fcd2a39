using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Tests.Support;

sealed record ReportedFailure(LoggingFailureKind Kind, string Message, IReadOnlyList<LogEvent> Events, Exception? Exception)
{
    /// <summary>The message and the exception's messages, inner ones included: what a reader of SelfLog sees.</summary>
    public string Text
    {
        get
        {
            var text = Message;
            for (var ex = Exception; ex != null; ex = ex.InnerException)
                text += " | " + ex.Message;
            return text;
        }
    }
}

/// <summary>A failure listener for <c>WriteTo.Fallible</c> that keeps every report.</summary>
sealed class FailureCollector : ILoggingFailureListener
{
    readonly List<ReportedFailure> _failures = [];

    public IReadOnlyList<ReportedFailure> Failures
    {
        get { lock (_failures) return _failures.ToList(); }
    }

    public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events,
        Exception? exception)
    {
        lock (_failures)
        {
            _failures.Add(new ReportedFailure(kind, message, events?.ToList() ?? [], exception));
            Monitor.PulseAll(_failures);
        }
    }

    /// <summary>Waits for a report that matches; false if none came within the timeout.</summary>
    public bool WaitFor(Func<ReportedFailure, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_failures)
        {
            while (!_failures.Any(match))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                    return false;
                Monitor.Wait(_failures, left);
            }

            return true;
        }
    }
}
