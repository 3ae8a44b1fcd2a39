using System.Globalization;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>What one run of the benchmark measures, and at what scale.</summary>
sealed class BenchmarkOptions
{
    public const string Usage =
        """
        Usage: dotnet run -c Release --project test/Serilog.Sinks.SqliteWorker.Benchmarks -- [options]
          --quick          a smaller run (200,000 events a drain, growth up to 1,000,000 rows), for a first look
          --rounds N       rounds of alternating measurements (default 3, at least 1)
          --only LIST      comma-separated groups: ceiling, drain, caller, growth, autovacuum, gen0, batching (default: all)
          --queue-limit N  the sink's queue limit (default: the sink's own default)
          --batch-size N   the sink's batch size limit (default: the sink's own default)
          --work DIR       folder for the database files (default: a new folder under the system temp folder)
        """;

    public static readonly string[] AllGroups = ["ceiling", "drain", "caller", "growth", "autovacuum", "gen0", "batching"];

    public bool Quick { get; private init; }
    public int Rounds { get; private init; } = 3;
    public IReadOnlySet<string> Groups { get; private init; } = new HashSet<string>(AllGroups);
    public string? WorkFolder { get; private init; }
    public int? QueueLimit { get; private init; }
    public int? BatchSizeLimit { get; private init; }

    public int Producers => 4;
    public int EventsPerProducer => Quick ? 50_000 : 250_000;
    public int DrainEvents => Producers * EventsPerProducer;
    public int CeilingRows => Quick ? 200_000 : 500_000;
    public int[] CeilingRowsPerStatement => [1, 10, 25, 50, 100];
    // 4 x 10,000 events: a burst that fits in the sink's default queue of 50,000.
    public int BurstPerProducer => 10_000;
    public int Bursts => 5;
    public long[] GrowthRowsBefore => Quick ? [0, 100_000, 500_000, 1_000_000] : [0, 1_000_000, 5_000_000, 10_000_000];
    public int GrowthEventsPerProducer => Quick ? 25_000 : 62_500;

    public static BenchmarkOptions Parse(string[] args)
    {
        bool quick = false;
        int rounds = 3;
        HashSet<string> groups = new(AllGroups);
        string? work = null;
        int? queueLimit = null;
        int? batchSizeLimit = null;

        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n >= 1:
                    rounds = n;
                    i++;
                    break;
                case "--only" when i + 1 < args.Length:
                    groups = new HashSet<string>(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    if (groups.Count == 0 || !groups.IsSubsetOf(AllGroups))
                        throw new ArgumentException($"--only takes groups from: {string.Join(", ", AllGroups)}.");
                    break;
                case "--queue-limit" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var q) && q >= 1:
                    queueLimit = q;
                    i++;
                    break;
                case "--batch-size" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var b) && b >= 1:
                    batchSizeLimit = b;
                    i++;
                    break;
                case "--work" when i + 1 < args.Length:
                    work = args[++i];
                    break;
                default:
                    throw new ArgumentException($"Unknown or incomplete option '{args[i]}'.");
            }
        }

        return new BenchmarkOptions { Quick = quick, Rounds = rounds, Groups = groups, WorkFolder = work, QueueLimit = queueLimit, BatchSizeLimit = batchSizeLimit };
    }
}
