using System.CommandLine;
using System.CommandLine.Parsing;
using Serilog.Sinks.SqliteWorker.Forwarding;
using Spectre.Console;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// <c>forward DB --endpoint URL [--protocol http/protobuf|grpc] [--follow] [--header NAME=VALUE]... [--service-name NAME]
/// [--resource KEY=VALUE]...</c>: sends the file's rows to an OTLP endpoint, from where this destination's cursor stands,
/// and exits 0 once everything is sent; with <c>--follow</c>, keeps sending new rows until Ctrl+C. The standard
/// <c>OTEL_*</c> variables fill what the options leave out.
/// </summary>
static class ForwardCommand
{
    public static Command Create(ToolConsole console)
    {
        var database = new DatabaseOptions();
        var endpoint = new Option<string>("--endpoint")
        {
            Description = "The OTLP endpoint's base URL; for http/protobuf, /v1/logs and /v1/metrics are appended. Default: OTEL_EXPORTER_OTLP_ENDPOINT.",
            HelpName = "URL",
        };
        var protocol = new Option<string>("--protocol")
        {
            Description = "The transport. Default: OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf.",
            HelpName = "http/protobuf|grpc",
        };
        OptionValues.OneOf(protocol, "http/protobuf", "grpc");
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep sending new rows as they are written, until Ctrl+C." };
        var headers = new Option<string[]>("--header")
        {
            Description = "A header sent with every request, such as x-otlp-api-key=KEY; repeat for more. Added to OTEL_EXPORTER_OTLP_HEADERS.",
            HelpName = "NAME=VALUE",
            AllowMultipleArgumentsPerToken = false,
        };
        var serviceName = new Option<string>("--service-name") { Description = "The service.name resource attribute. Default: OTEL_SERVICE_NAME.", HelpName = "NAME" };
        var resources = new Option<string[]>("--resource")
        {
            Description = "A resource attribute, such as host.name=web-1; repeat for more. Added to OTEL_RESOURCE_ATTRIBUTES.",
            HelpName = "KEY=VALUE",
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Rows per request, and so the most a crash can send twice.",
            DefaultValueFactory = _ => SqliteForwarderOptions.DefaultBatchSize,
            CustomParser = OptionValues.WholeNumber(1),
            HelpName = "N",
        };
        var command = new Command("forward",
            "Sends the rows to an OpenTelemetry (OTLP) endpoint, from where this endpoint's cursor in the file stands, and exits " +
            "once all are sent; with --follow, keeps sending new rows until Ctrl+C.");
        database.AddTo(command);
        command.Options.Add(endpoint);
        command.Options.Add(protocol);
        command.Options.Add(follow);
        command.Options.Add(headers);
        command.Options.Add(serviceName);
        command.Options.Add(resources);
        command.Options.Add(batchSize);
        command.Validators.Add(result =>
        {
            foreach (var (option, value) in Pairs(result, headers).Concat(Pairs(result, resources)))
            {
                if (value.IndexOf('=', StringComparison.Ordinal) <= 0)
                    result.AddError($"{option} '{value}' is not NAME=VALUE.");
            }
        });

        command.SetAction(async (result, cancellationToken) =>
        {
            // The helper's check: a missing file, a non-database or wrong table names become their exit codes here.
            using (database.Open(result))
            {
            }

            var options = new SqliteForwarderOptions
            {
                DatabasePath = database.Path(result),
                Endpoint = result.GetValue(endpoint),
                ServiceName = result.GetValue(serviceName),
                LogsTableName = database.LogsTable(result),
                MetricsTableName = database.MetricsTable(result),
                BatchSize = result.GetValue(batchSize),
            };
            var protocolGiven = result.GetValue(protocol) is not null;
            if (protocolGiven)
                options.Protocol = OtlpEnvironment.ParseProtocol(result.GetValue(protocol)!, "--protocol");
            foreach (var (name, value) in Split(result.GetValue(headers)))
                options.Headers[name] = value;
            foreach (var (name, value) in Split(result.GetValue(resources)))
                options.ResourceAttributes[name] = value;
            OtlpEnvironment.Apply(options, protocolGiven: protocolGiven);
            if (string.IsNullOrWhiteSpace(options.Endpoint))
                throw new ArgumentException("No endpoint: give --endpoint, such as http://localhost:4318, or set OTEL_EXPORTER_OTLP_ENDPOINT.");

            using var forwarder = new SqliteForwarder(options);
            return await (console.IsTerminal
                ? console.Ansi.Status().StartAsync("Forwarding", context => RunAsync(console, forwarder, result.GetValue(follow), context, cancellationToken))
                : RunAsync(console, forwarder, result.GetValue(follow), null, cancellationToken)).ConfigureAwait(false);
        });
        return command;
    }

    static async Task<int> RunAsync(ToolConsole console, SqliteForwarder forwarder, bool follow, StatusContext? status, CancellationToken cancellationToken)
    {
        var destination = TerminalText.OneLine(forwarder.Destination);
        var pendingAtStart = forwarder.GetStatus().Sum(s => s.Pending);
        forwarder.BatchForwarded += _ =>
            status?.Status(Markup.Escape($"Forwarded {Numbers.Count(forwarder.Forwarded + forwarder.Rejected)} of " +
                                         $"{Numbers.Count(Math.Max(pendingAtStart, forwarder.Forwarded + forwarder.Rejected))} rows to {destination}"));
        forwarder.Retrying += (message, wait) =>
        {
            // The endpoint's answer may quote anything; it reaches the terminal as one escaped line.
            var line = $"{SqliteLogsApp.Name}: {TerminalText.OneLine(message)}; retrying in {Duration.Format(wait)}";
            if (status != null)
                status.Status(Markup.Escape(line));
            else
                console.Error.WriteLine(line);
        };

        try
        {
            do
            {
                await forwarder.SendPendingAsync(cancellationToken).ConfigureAwait(false);
                if (follow)
                {
                    status?.Status(Markup.Escape($"Forwarded {Numbers.Count(forwarder.Forwarded + forwarder.Rejected)} rows to {destination}; " +
                                                 "waiting for new rows (Ctrl+C to stop)"));
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }
            }
            while (follow);
        }
        catch (OperationCanceledException) when (follow && cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C is how a follow ends; the batch in flight was finished and its cursor stored.
        }
        catch (OtlpRefusedException ex)
        {
            var pending = forwarder.GetStatus().Sum(s => s.Pending);
            throw new IOException($"The endpoint refused the forwarder: {ex.Message}. Nothing was lost: {Numbers.Count(pending)} rows are " +
                                  "still pending, and are sent once the endpoint accepts them (check --header and the endpoint).", ex);
        }
        catch (OperationCanceledException)
        {
            throw new OperationCanceledException($"Interrupted after forwarding {Numbers.Count(forwarder.Forwarded + forwarder.Rejected)} rows; " +
                                                 "the rest are sent when forward runs again.");
        }

        Summary(console, forwarder, destination);
        return ExitCodes.Success;
    }

    static void Summary(ToolConsole console, SqliteForwarder forwarder, string destination)
    {
        var line = $"Forwarded {Numbers.Count(forwarder.Forwarded)} rows to {destination}";
        if (forwarder.Rejected > 0)
            line += $"; {Numbers.Count(forwarder.Rejected)} rejected by the endpoint";
        if (forwarder.NeverForwarded > 0)
            line += $"; {Numbers.Count(forwarder.NeverForwarded)} deleted from the file (retention or size limit) before they could be sent";
        console.Out.WriteLine(line + ".");
    }

    static IEnumerable<(string Option, string Value)> Pairs(CommandResult result, Option<string[]> option) =>
        (result.GetValue(option) ?? []).Select(value => (option.Name, value));

    static IEnumerable<(string Name, string Value)> Split(string[]? pairs) =>
        (pairs ?? []).Select(pair => pair.Split('=', 2)).Select(parts => (parts[0].Trim(), parts[1]));
}
