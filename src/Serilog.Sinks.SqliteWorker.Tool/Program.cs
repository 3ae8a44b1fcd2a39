using Serilog.Sinks.SqliteWorker.Tool;

return await SqliteLogsApp.RunAsync(args, ToolConsole.FromSystemConsole());
