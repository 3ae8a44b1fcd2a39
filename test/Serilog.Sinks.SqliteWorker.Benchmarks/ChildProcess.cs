using System.Globalization;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>One measurement, run in a process of its own: <c>--child KIND key=value ...</c>.</summary>
static class ChildProcess
{
    public static int Run(string[] args)
    {
        Serilog.Debugging.SelfLog.Enable(Console.Error);
        var kind = args[0];
        var settings = args[1..].Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        string Text(string key) => settings.TryGetValue(key, out var value) ? value : throw new ArgumentException($"Missing {key}=...");
        int Int(string key) => int.Parse(Text(key), CultureInfo.InvariantCulture);
        int? OptionalInt(string key) => settings.ContainsKey(key) ? Int(key) : null;

        var measurement = kind switch
        {
            "ceiling" => ProviderCeiling.Run(Text("db"), Int("rows"), Int("rowsPerStatement"),
                settings.TryGetValue("inline", out var inline) && bool.Parse(inline),
                settings.TryGetValue("autoVacuum", out var autoVacuum) ? bool.Parse(autoVacuum) : null),
            "engine" => EngineCeiling.Run(Text("db"), Int("rows"), Int("rowsPerStatement")),
            "sink" => EndToEnd.SqliteWorker(Text("name"), Text("db"), Int("producers"), Int("perProducer"), bool.Parse(Text("block")),
                OptionalInt("queueLimit"), OptionalInt("batchSizeLimit")),
            "writer" => WriterAlone.Run(Text("db"), Int("events"),
                settings.TryGetValue("maxDatabaseSize", out var limit) ? long.Parse(limit, CultureInfo.InvariantCulture) : null),
            "batching" => EndToEnd.SerilogBatching(Text("db"), Int("producers"), Int("perProducer"), OptionalInt("queueLimit")),
            "naive" => EndToEnd.Naive(Text("db"), Int("producers"), Int("perProducer")),
            "caller" => CallerCost.Run(Text("sink"), Text("db"), Int("producers"), Int("burst"), Int("bursts"), OptionalInt("queueLimit")),
            "cost" => SingleThreadCost.Run(Text("of")),
            "prefill" => Prefill.Run(Text("db"), long.Parse(Text("rows"), CultureInfo.InvariantCulture)),
            _ => throw new ArgumentException($"Unknown child kind '{kind}'."),
        };
        measurement.Print();
        return 0;
    }
}
