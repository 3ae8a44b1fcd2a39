using Serilog.Sinks.SqliteWorker.Query.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Query.Tests;

/// <summary>A metric tail started without an id begins after the last metric present when it starts.</summary>
public sealed class MetricTailStartTests
{
    [Test]
    public async Task AMetricTailWithoutAnIdSeesOnlyMetricsWrittenAfterItStarted()
    {
        using var folder = new TempFolder();
        var path = folder.File("tail.db");
        SinkDatabase.Write(path, logger =>
        {
            for (var i = 1; i <= 2; i++)
                logger.Metric("before_the_tail", i);
        });

        using var db = SqliteWorkerDatabase.Open(path);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var tail = db.TailMetricsAsync(pollInterval: TimeSpan.FromMilliseconds(10), cancellationToken: timeout.Token);
        SinkDatabase.Write(path, logger =>
        {
            for (var i = 1; i <= 3; i++)
                logger.Metric("after_the_tail", i);
        });

        var received = new List<MetricRecord>();
        await foreach (var metric in tail)
        {
            received.Add(metric);
            if (received.Count == 3)
                break;
        }

        received.Select(m => (m.Name, m.Value)).Should().Equal(("after_the_tail", 1.0), ("after_the_tail", 2.0), ("after_the_tail", 3.0));
    }
}
