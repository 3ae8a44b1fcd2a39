using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog.Sinks.SqliteWorker.Forwarding.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Forwarding.Tests;

/// <summary>The forwarder beside the sink: for a logger's life, from appsettings.json, and as a hosted service.</summary>
[NonParallelizable]
public class InProcessTests
{
    static List<long> Numbers(OtlpCapture capture) =>
        capture.Logs.SelectMany(r => r.ResourceLogs).SelectMany(r => r.ScopeLogs).SelectMany(s => s.LogRecords)
            .Select(r => r.Attributes.Single(a => a.Key == "Number").Value.IntValue).ToList();

    static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, what);
            await Task.Delay(20);
        }
    }

    [Test]
    public async Task AForwarderBesideTheSinkSendsWhatItCommitsWhileTheLoggerLives()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using var capture = new OtlpCapture();
        var forwarder = new SqliteForwarder(new SqliteForwarderOptions
        {
            DatabasePath = path,
            Endpoint = capture.Endpoint.ToString(),
            PollInterval = TimeSpan.FromMilliseconds(50),
        });

        using (var logger = new LoggerConfiguration()
                   .WriteTo.SqliteWorker(path, bufferingTimeLimit: TimeSpan.FromMilliseconds(50))
                   .WriteTo.SqliteWorkerForwarding(forwarder)
                   .CreateLogger())
        {
            for (var i = 0; i < 30; i++)
                logger.Information("Event {Number}", i);
            // The cursor moves once the endpoint has answered, just after the request arrives.
            await WaitForAsync(() => forwarder.Forwarded == 30, "the forwarder should send the 30 rows the sink commits");

            var logs = forwarder.GetStatus().Single(s => s.Table == "logs");
            (logs.Forwarded, logs.Pending, logs.Lag).Should().Be((30, 0, null));
        }

        Numbers(capture).Should().Equal(Enumerable.Range(0, 30).Select(i => (long)i));
    }

    [Test]
    public async Task TheForwarderIsConfiguredFromAppSettingsBesideTheSink()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using var capture = new OtlpCapture();
        var json = $$"""
            {
              "Serilog": {
                "Using": [ "Serilog.Sinks.SqliteWorker", "Serilog.Sinks.SqliteWorker.Forwarding" ],
                "WriteTo": [
                  { "Name": "SqliteWorker", "Args": { "databasePath": "{{path}}", "bufferingTimeLimit": "00:00:00.05" } },
                  { "Name": "SqliteWorkerForwarding", "Args": {
                      "databasePath": "{{path}}", "endpoint": "{{capture.Endpoint}}", "protocol": "http/protobuf",
                      "serviceName": "from-settings", "resourceAttributes": "host.name=web-1", "pollInterval": "00:00:00.05" } }
                ]
              }
            }
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

        using (var logger = new LoggerConfiguration().ReadFrom.Configuration(configuration).CreateLogger())
        {
            logger.Information("Event {Number}", 1);
            await WaitForAsync(() => Numbers(capture).Count == 1, "the forwarder configured in appsettings.json should send the row");
        }

        var resource = capture.Logs.First().ResourceLogs.Single().Resource.Attributes.ToDictionary(a => a.Key, a => a.Value.StringValue);
        resource.Should().Contain("service.name", "from-settings").And.Contain("host.name", "web-1");
    }

    [Test]
    public async Task AsAHostedServiceItForwardsFromTheHostsStartToItsStopAndExposesItsStatus()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        LogFile.Write(path, 5);
        using var capture = new OtlpCapture();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SqliteWorkerForwarding:DatabasePath"] = path,
            ["SqliteWorkerForwarding:Endpoint"] = capture.Endpoint.ToString(),
            ["SqliteWorkerForwarding:ServiceName"] = "hosted",
            ["SqliteWorkerForwarding:Headers:x-otlp-api-key"] = "key-1",
            ["SqliteWorkerForwarding:PollInterval"] = "00:00:00.05",
        });
        builder.Services.AddSqliteWorkerForwarding(builder.Configuration.GetSection("SqliteWorkerForwarding"));

        using (var host = builder.Build())
        {
            await host.StartAsync();
            await WaitForAsync(() => Numbers(capture).Count == 5, "the hosted forwarder should send the rows present at its start");
            LogFile.Write(path, 3, from: 5);
            var forwarder = host.Services.GetRequiredService<SqliteForwarder>();
            await WaitForAsync(() => forwarder.Forwarded == 8, "the hosted forwarder should follow the file");

            var status = forwarder.GetStatus().Single(s => s.Table == "logs");
            (status.Forwarded, status.Pending).Should().Be((8, 0));
            await host.StopAsync();
        }

        Numbers(capture).Should().Equal(Enumerable.Range(0, 8).Select(i => (long)i));
        capture.ApiKeys.Should().OnlyContain(key => key == "key-1", "headers are bound from the section");
    }
}
