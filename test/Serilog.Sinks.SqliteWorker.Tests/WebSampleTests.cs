using System.Net;
using System.Text.Json;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

[Category(Needs.Linux)]
[Category(Needs.Slow)]
public class WebSampleTests
{
    [Test]
    public async Task TheWebSampleLogsRequestsEventsAndMetricsToSqlite()
    {
        using var folder = new TempFolder();
        var path = folder.File("web.db");
        using var app = new WebSampleProcess(path);
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        (await http.GetAsync("/orders/42")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await http.GetAsync("/fail")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

        // The report endpoint reads the same file through the query helper while the sink writes it.
        var report = await WaitForReportWithErrors(http);
        report.GetProperty("recentErrors").EnumerateArray().Select(e => e.GetProperty("message").GetString())
            .Should().Contain("Checkout failed");
        report.GetProperty("byLevel").GetProperty("Error").GetInt64().Should().BeGreaterThanOrEqualTo(2);
        report.GetProperty("requestDuration").GetProperty("count").GetInt64().Should().BeGreaterThanOrEqualTo(2);
        app.Stop();

        var lookup = Database.Query(path, "SELECT source_context, message, properties FROM logs WHERE message_template LIKE 'Looking up order%'").Single();
        lookup["source_context"].Should().Be("Program");
        // The ILogger<T> scope arrives as a property, next to the request's own.
        Database.Scalar(path, "SELECT json_extract(properties, '$.OrderId') FROM logs WHERE message_template LIKE 'Looking up order%'").Should().Be(42L);
        Database.Scalar(path, "SELECT json_extract(properties, '$.RequestPath') FROM logs WHERE message_template LIKE 'Looking up order%'").Should().Be("/orders/42");

        Database.Query(path, "SELECT json_extract(properties, '$.RequestPath') AS path, json_extract(properties, '$.StatusCode') AS status " +
                             "FROM logs WHERE source_context = 'Serilog.AspNetCore.RequestLoggingMiddleware' ORDER BY id")
            .Select(r => (r["path"], r["status"])).Should().StartWith([("/orders/42", 200L), ("/fail", 503L)]);

        var failure = Database.Query(path, "SELECT level, exception FROM logs WHERE message = 'Checkout failed'").Single();
        failure["level"].Should().Be("Error");
        ((string)failure["exception"]!).Should().Contain("The payment service is down.");

        Database.Query(path, "SELECT json_extract(properties, '$.Path') AS path, unit FROM metrics WHERE metric_name = 'request_duration' ORDER BY id")
            .Select(r => (r["path"], r["unit"])).Should().StartWith([("/orders/42", "ms"), ("/fail", "ms")]);
    }

    static async Task<JsonElement> WaitForReportWithErrors(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var report = JsonDocument.Parse(await http.GetStringAsync("/report")).RootElement;
            if (report.GetProperty("recentErrors").GetArrayLength() > 0 || DateTime.UtcNow > deadline)
                return report;
            await Task.Delay(200);
        }
    }
}
