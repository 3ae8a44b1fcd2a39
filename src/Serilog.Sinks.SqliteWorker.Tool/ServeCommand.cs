using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog.Sinks.SqliteWorker.Viewer;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// <c>serve DB [--port N] [--open] [--listen ADDRESS]</c>: the live viewer on Kestrel, on loopback unless told otherwise,
/// read-only, until Ctrl+C.
/// </summary>
static class ServeCommand
{
    public static Command Create(ToolConsole console, Option<bool> utc)
    {
        var database = new DatabaseOptions();
        var port = new Option<int>("--port", "-p")
        {
            Description = "The port to listen on; 0, the default, takes a free one.",
            DefaultValueFactory = _ => 0,
            CustomParser = OptionValues.WholeNumber(0),
            HelpName = "N",
        };
        var open = new Option<bool>("--open") { Description = "Open the page in the default browser." };
        var listen = new Option<string>("--listen")
        {
            Description = "The IP address to listen on. The default, 127.0.0.1, lets only this machine in; any other address " +
                          "requires the token printed at start, which the page's address carries.",
            DefaultValueFactory = _ => "127.0.0.1",
            HelpName = "ADDRESS",
        };
        var command = new Command("serve", "Serves a live view of the database in the browser: new events as they arrive, filters, details, charts. Read-only; until Ctrl+C.");
        database.AddTo(command);
        command.Options.Add(port);
        command.Options.Add(open);
        command.Options.Add(listen);
        command.Validators.Add(result =>
        {
            if (result.GetResult(port) is { } given && given.GetValueOrDefault<int>() > IPEndPoint.MaxPort)
                result.AddError($"--port {given.GetValueOrDefault<int>()} is too large; give a port up to {IPEndPoint.MaxPort}, or 0 for a free one.");
            if (result.GetValue(listen) is { } text && !IPAddress.TryParse(text, out _))
                result.AddError($"--listen '{text}' is not an IP address; give one such as 127.0.0.1, ::1 or 0.0.0.0.");
        });

        command.SetAction(async (result, cancellationToken) =>
        {
            // Opened once here so that a missing or foreign file is an error now, as in every command, not on the page.
            string path;
            using (var db = database.Open(result))
                path = db.DatabasePath;

            var address = IPAddress.Parse(result.GetRequiredValue(listen));
            var access = IPAddress.IsLoopback(address) ? ViewerAccess.Loopback() : ViewerAccess.WithToken(RandomNumberGenerator.GetHexString(32, lowercase: true));

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, result.GetValue(port)));
            await using var app = builder.Build();
            app.Use(access.Check);
            app.MapSqliteWorkerViewer("/", path, options =>
            {
                // The listener is this machine's own, or guarded by the token above.
                options.AllowAnonymous = true;
                options.LogsTableName = database.LogsTable(result);
                options.MetricsTableName = database.MetricsTable(result);
                options.UseLocalTime = !result.GetValue(utc);
            });

            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new IOException($"Cannot listen on {address}:{result.GetValue(port)}: {ex.Message}", ex);
            }

            var url = app.Urls.First().TrimEnd('/') + "/" + access.Query;
            console.Out.WriteLine($"Serving {path} read-only at {url}");
            if (access.Token != null)
                console.Out.WriteLine("Anyone who can reach this address and has the token in the link can read the logs. Ctrl+C stops.");
            else
                console.Out.WriteLine("Only this machine can connect. Ctrl+C stops.");
            await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);

            if (result.GetValue(open))
                OpenBrowser(console, url);

            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    static void OpenBrowser(ToolConsole console, string url)
    {
        try
        {
            // The address is the server's own, made above; nothing from the file is in it.
            using var browser = Process.Start(new ProcessStartInfo(url) { UseShellExecute = true });
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            console.Error.WriteLine($"{SqliteLogsApp.Name}: could not open a browser ({ex.Message}); open {url} yourself.");
        }
    }
}
