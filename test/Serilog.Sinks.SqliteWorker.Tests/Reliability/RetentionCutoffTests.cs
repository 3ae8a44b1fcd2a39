using System.Data.SQLite;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>Where retentionPeriod cuts: a row just younger than the period stays, a row just older goes.</summary>
public class RetentionCutoffTests
{
    static readonly TimeSpan Period = TimeSpan.FromHours(10);

    [Test]
    public async Task RowsAtNineTenthsOfThePeriodAreKeptAndRowsAtElevenTenthsAreDeleted()
    {
        using var folder = new TempFolder();
        var path = folder.File("cutoff.db");
        var now = DateTimeOffset.UtcNow;
        var inside = now - Period * 0.9;
        var outside = now - Period * 1.1;
        using (var sink = SinkFactory.Create(path))
        {
            await sink.EmitBatchAsync([
                Some.LogEvent("Inside", timestamp: inside),
                Some.LogEvent("Outside", timestamp: outside),
                Metric("inside", inside),
                Metric("outside", outside),
            ]);
        }

        var policy = RetentionPolicy.Create(new SqliteWorkerSinkOptions { RetentionPeriod = Period }, SinkSchema.Logs("logs", []),
            SinkSchema.Metrics("metrics"), DatabaseLocation.Resolve(path), new FailureReporter(new SinkCounters(), 1000, sender: "test"))!;
        using (var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString))
        {
            connection.Open();
            // Turns run until one finds nothing left to delete; a few suffice for four rows.
            var turns = 0;
            while (policy.RunIfDue(connection, batchWaiting: false))
                (++turns).Should().BeLessThan(10, "four rows take a turn or two to delete");
        }

        Database.Query(path, "SELECT message FROM logs").Select(r => r["message"]).Should().Equal("Inside");
        Database.Query(path, "SELECT metric_name FROM metrics").Select(r => r["metric_name"]).Should().Equal("inside");
    }

    static LogEvent Metric(string name, DateTimeOffset timestamp)
    {
        var metric = MetricEvent.Create(name, 1, unit: null);
        return new LogEvent(timestamp, metric.Level, null, metric.MessageTemplate,
            metric.Properties.Select(p => new LogEventProperty(p.Key, p.Value)));
    }
}
