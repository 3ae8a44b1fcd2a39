using System.Globalization;

namespace Serilog.Sinks.SqliteWorker.TestWriter;

sealed record WriterSettings(
    string DatabasePath,
    string Name,
    int Threads,
    long Events,
    int BatchSize,
    TimeSpan BufferingTime,
    bool ReportGaps)
{
    public static WriterSettings Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
            throw new ArgumentException("The first argument is the database path.");

        var settings = new WriterSettings(args[0], "writer", Threads: 4, Events: 1000, BatchSize: 1000,
            TimeSpan.FromMilliseconds(100), ReportGaps: false);
        for (var i = 1; i < args.Length; i++)
        {
            settings = args[i] switch
            {
                "--name" => settings with { Name = Value(args, ++i) },
                "--threads" => settings with { Threads = int.Parse(Value(args, ++i), CultureInfo.InvariantCulture) },
                "--events" => settings with { Events = long.Parse(Value(args, ++i), CultureInfo.InvariantCulture) },
                "--batch-size" => settings with { BatchSize = int.Parse(Value(args, ++i), CultureInfo.InvariantCulture) },
                "--buffering-ms" => settings with { BufferingTime = TimeSpan.FromMilliseconds(double.Parse(Value(args, ++i), CultureInfo.InvariantCulture)) },
                "--report-gaps" => settings with { ReportGaps = true },
                var unknown => throw new ArgumentException($"Unknown argument '{unknown}'."),
            };
        }

        return settings;
    }

    static string Value(string[] args, int index) =>
        index < args.Length ? args[index] : throw new ArgumentException($"{args[index - 1]} needs a value.");
}
