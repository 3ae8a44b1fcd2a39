using System.Data.SQLite;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>Prints progress while the benchmark runs, then the tables of medians and the targets.</summary>
static class Report
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void PrintHeader(BenchmarkOptions options, string work)
    {
        Console.WriteLine("Serilog.Sinks.SqliteWorker benchmark");
        Console.WriteLine(string.Create(Invariant,
            $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical processors, SQLite {SQLiteConnection.SQLiteVersion}"));
        var scale = options.Quick ? "quick" : "full";
        var groups = string.Join(", ", options.Groups);
        Console.WriteLine(string.Create(Invariant,
            $"{scale} run: {options.Rounds} rounds of {groups}; {options.Producers} producers x {options.EventsPerProducer:N0} events a drain; files in {work}"));
        Console.WriteLine();
    }

    public static void PrintProgress(int round, int rounds, Measurement m)
    {
        var figure = m.Configuration.StartsWith("caller-", StringComparison.Ordinal)
            ? string.Create(Invariant, $"{m.NanosecondsPerCall:N0} ns a call, {m.GcCount} GCs pausing {m.GcPauseMilliseconds:N0} ms a burst")
            : m.Configuration.EndsWith("-alone", StringComparison.Ordinal) && m.NanosecondsPerCall > 0
            ? string.Create(Invariant, $"{m.NanosecondsPerCall:N0} ns a call on one thread")
            : string.Create(Invariant, $"{m.Rows:N0} rows in {m.Seconds:0.00} s = {m.RowsPerSecond:N0} rows/s") +
              (m.GcCount > 0 ? string.Create(Invariant, $", {m.GcCount} GCs pausing {m.GcPauseMilliseconds:N0} ms") : "") +
              (m.CpuSeconds > 0 ? string.Create(Invariant, $", {m.CpuSeconds / m.Seconds:0.0} cores busy") : "") +
              (m.AllocatedBytesPerEvent > 0 ? string.Create(Invariant, $", {m.AllocatedBytesPerEvent:N0} B allocated an event") : "") +
              (m.Dropped > 0 ? string.Create(Invariant, $", {m.Dropped:N0} dropped") : "") +
              (m.ClosingSeconds > 0 ? string.Create(Invariant, $", {m.ClosingSeconds:0.00} s of it closing") : "");
        Console.WriteLine(string.Create(Invariant,
            $"[round {round}/{rounds}] {m.Configuration,-12} {figure}, peak working set {m.PeakWorkingSetMegabytes:N0} MB"));
    }

    public static int PrintTables(BenchmarkOptions options, Dictionary<string, List<Measurement>> results)
    {
        double Rate(string name) => Median(results[name].Select(m => m.RowsPerSecond));
        var targets = new List<(string Target, bool Met, string Figures)>();
        var lossFound = false;

        string? bestCeiling = null;
        if (options.Groups.Contains("ceiling"))
        {
            bestCeiling = options.CeilingRowsPerStatement.Select(s => $"ceiling-{s}").MaxBy(Rate)!;
            Console.WriteLine();
            Console.WriteLine(string.Create(Invariant,
                $"Provider ceiling: {options.CeilingRows:N0} pre-rendered rows, 1,000-row transactions, System.Data.SQLite, the sink's checkpoint policy"));
            Row("rows per INSERT", "rows/s (median)", "min .. max", "vs best", "peak WS MB");
            foreach (var shape in options.CeilingRowsPerStatement)
            {
                var name = $"ceiling-{shape}";
                Row(shape.ToString(Invariant), Rate(name).ToString("N0", Invariant), Range(results[name]),
                    Ratio(Rate(name), Rate(bestCeiling)), MaxMegabytes(results[name]));
            }

            Row("25, inline ckpt", Rate("ceiling-25-inline").ToString("N0", Invariant), Range(results["ceiling-25-inline"]),
                Ratio(Rate("ceiling-25-inline"), Rate(bestCeiling)), MaxMegabytes(results["ceiling-25-inline"]));
            Row("25, engine direct", Rate("engine-25").ToString("N0", Invariant), Range(results["engine-25"]),
                Ratio(Rate("engine-25"), Rate(bestCeiling)), MaxMegabytes(results["engine-25"]));
            Console.WriteLine("  (inline ckpt: SQLite's default policy, the inserting connection checkpointing every 1,000 pages itself;");
            Console.WriteLine("   engine direct: the same rows through direct calls into the engine System.Data.SQLite loads, not through the provider)");
        }

        if (options.Groups.Contains("drain"))
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(Invariant,
                $"Drain: {options.Producers} producers x {options.EventsPerProducer:N0} events, timed until the logger is disposed (medians of {options.Rounds})"));
            Row("configuration", "rows/s (median)", "min .. max", "vs ceiling", "vs naive", "peak WS MB", "rows (min)", "dropped (median)",
                "CPU us/row", "cores busy");
            var names = new List<string> { "writer-alone", "sink-block", "sink-drop", "naive" };
            if (bestCeiling != null)
                names.Insert(0, bestCeiling);
            foreach (var name in names)
            {
                var runs = results[name];
                Row(name, Rate(name).ToString("N0", Invariant), Range(runs),
                    bestCeiling != null ? Ratio(Rate(name), Rate(bestCeiling)) : "-",
                    Ratio(Rate(name), Rate("naive")), MaxMegabytes(runs),
                    runs.Min(m => m.Rows).ToString("N0", Invariant),
                    name.StartsWith("ceiling", StringComparison.Ordinal) ? "-" : Median(runs.Select(m => (double)m.Dropped)).ToString("N0", Invariant),
                    Median(runs.Select(m => m.CpuMicrosecondsPerRow)).ToString("0.0", Invariant),
                    Median(runs.Select(m => m.CpuSeconds / m.Seconds)).ToString("0.0", Invariant));
            }

            Console.WriteLine("  (writer-alone: the sink's writer handed pre-made events in batches of 1,000, no producers, no queue)");
            PrintThreadTimes(results, [.. names.Where(n => n != "writer-alone"), .. results.ContainsKey("batching-block") ? ["batching-block"] : Array.Empty<string>()]);
            var blocking = results["sink-block"];
            lossFound |= blocking.Any(m => m.Rows != m.Expected);
            if (bestCeiling != null)
                targets.Add(("drain rate >= 0.7x provider ceiling", Rate("sink-block") >= 0.7 * Rate(bestCeiling),
                    Ratio(Rate("sink-block"), Rate(bestCeiling)) + RoundByRound(results, "sink-block", bestCeiling)));
            if (results.ContainsKey("engine-25"))
                Console.WriteLine(string.Create(Invariant,
                    $"  sink-block against engine-25 (the ceiling through direct calls into the engine, as the sink now binds its rows): {Ratio(Rate("sink-block"), Rate("engine-25"))}{RoundByRound(results, "sink-block", "engine-25")}"));
            targets.Add(("drain rate >= 2.5x naive sink", Rate("sink-block") >= 2.5 * Rate("naive"),
                Ratio(Rate("sink-block"), Rate("naive")) + RoundByRound(results, "sink-block", "naive")));
            targets.Add(("no loss in blocking mode", !blocking.Any(m => m.Rows != m.Expected),
                string.Join(", ", blocking.Select(m => $"{m.Rows:N0}/{m.Expected:N0}"))));
            var peak = blocking.Max(m => m.PeakWorkingSetMegabytes);
            targets.Add(("peak working set <= 150 MB while draining", peak <= 150, string.Create(Invariant, $"{peak:N0} MB (largest of {blocking.Count})")));
        }

        if (options.Groups.Contains("caller"))
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(Invariant,
                $"Caller cost: bursts of {options.Producers} x {options.BurstPerProducer:N0} events that fit in the queue (median of {options.Bursts} bursts a run, then of runs)"));
            Row("sink", "ns a call", "min .. max", "vs no-op", "peak WS MB", "GCs a burst", "GC pause ms");
            double Cost(string name) => Median(results[name].Select(m => m.NanosecondsPerCall));
            foreach (var name in new[] { "", "-server-gc" }.SelectMany(gc => Orchestrator.CallerSinks.Select(sink => $"caller-{sink}{gc}")))
                Row(name, Cost(name).ToString("N0", Invariant),
                    string.Create(Invariant, $"{results[name].Min(m => m.NanosecondsPerCall):N0} .. {results[name].Max(m => m.NanosecondsPerCall):N0}"),
                    Ratio(Cost(name), Cost(name.EndsWith("-server-gc", StringComparison.Ordinal) ? "caller-noop-server-gc" : "caller-noop")),
                    MaxMegabytes(results[name]),
                    Median(results[name].Select(m => (double)m.GcCount)).ToString("N0", Invariant),
                    Median(results[name].Select(m => m.GcPauseMilliseconds)).ToString("N0", Invariant));
            Console.WriteLine("  (batched-noop: Serilog's own batching in front of a sink that throws batches away;");
            Console.WriteLine("   keep-values: a sink that only keeps each event's timestamp, level, template and property values in reused slots,");
            Console.WriteLine("   the least a sink that writes after the burst must do; keep-numbers: the same, with numbers kept by value)");
            targets.Add(("caller cost <= 1.5x no-op sink (workstation GC)", Cost("caller-sqlite") <= 1.5 * Cost("caller-noop"),
                Ratio(Cost("caller-sqlite"), Cost("caller-noop"))));
            targets.Add(("caller cost <= 1.5x no-op sink (server GC)", Cost("caller-sqlite-server-gc") <= 1.5 * Cost("caller-noop-server-gc"),
                Ratio(Cost("caller-sqlite-server-gc"), Cost("caller-noop-server-gc"))));
        }

        if (options.Groups.Contains("growth"))
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(Invariant,
                $"Growth: {options.Producers} x {options.GrowthEventsPerProducer:N0} events, blocking mode, into a file that already holds rows"));
            Row("configuration", "rows before", "rows/s (median)", "min .. max", "vs empty", "peak WS MB");
            var names = options.GrowthRowsBefore.Select(r => $"growth-{Count(r)}").ToList();
            foreach (var name in names)
            {
                var runs = results[name];
                lossFound |= runs.Any(m => m.Rows != m.Expected);
                Row(name, $"{runs.Min(m => m.RowsBefore):N0} .. {runs.Max(m => m.RowsBefore):N0}", Rate(name).ToString("N0", Invariant), Range(runs),
                    Ratio(Rate(name), Rate(names[0])), MaxMegabytes(runs));
            }

            targets.Add(($"rate at {Count(options.GrowthRowsBefore[^1])} rows >= 0.8x rate on an empty file", Rate(names[^1]) >= 0.8 * Rate(names[0]),
                Ratio(Rate(names[^1]), Rate(names[0]))));
        }

        if (options.Groups.Contains("gen0"))
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(Invariant,
                $"A {Orchestrator.Gen0Size / (1024 * 1024)} MB young generation (DOTNET_GCgen0size, an application setting), workstation GC, against the runtime's own (medians of {options.Rounds})"));
            PrintComparison(results, "vs default GC", "vs no-op, same GC",
                [("sink-block-gen0", "sink-block", null), ("caller-sqlite-gen0", "caller-sqlite", "caller-noop-gen0"), ("caller-noop-gen0", "caller-noop", "caller-noop-gen0")]);
            Console.WriteLine("  (sink-block: GCs and pause for the whole drain; caller-*: a burst)");
        }

        if (options.Groups.Contains("batching"))
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(Invariant,
                $"The alternative design: the sink's writer behind Serilog's batching, which queues the events and renders them on the writer's thread (medians of {options.Rounds})"));
            PrintComparison(results, "vs the sink", "vs no-op",
                [("batching-block", "sink-block", null), ("caller-batching", "caller-sqlite", "caller-noop")]);
            double OnOneThread(string name) => Median(results[name].Select(m => m.NanosecondsPerCall));
            Console.WriteLine(string.Create(Invariant,
                $"  On one thread: a log call into a no-op sink {OnOneThread("call-alone"):N0} ns, rendering that event into its row {OnOneThread("render-alone"):N0} ns;"));
            Console.WriteLine(string.Create(Invariant,
                $"  so rendering on the logging thread costs a call at least {1 + OnOneThread("render-alone") / OnOneThread("call-alone"):0.0}x the no-op sink's."));
        }

        if (options.Groups.Contains("autovacuum"))
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(Invariant,
                $"Auto-vacuum: the provider ceiling, 25 rows per INSERT, into a new file made without and with auto_vacuum = INCREMENTAL (medians of {options.Rounds})"));
            Row("configuration", "rows/s (median)", "min .. max", "vs without", "CPU us/row", "peak WS MB");
            foreach (var (name, without) in new[] { ("ceiling-25-no-autovacuum", "ceiling-25-no-autovacuum"), ("ceiling-25-autovacuum", "ceiling-25-no-autovacuum"),
                         ("writer-no-limit", "writer-no-limit"), ("writer-size-limit", "writer-no-limit") })
                Row(name, Rate(name).ToString("N0", Invariant), Range(results[name]), Ratio(Rate(name), Rate(without)),
                    Median(results[name].Select(m => m.CpuMicrosecondsPerRow)).ToString("0.0", Invariant), MaxMegabytes(results[name]));
            Console.WriteLine("  (writer-*-limit: the sink's writer alone, as writer-alone; size-limit has maxDatabaseSize of 1 TB, never reached: a new file with auto-vacuum, and the size read after each batch)");
        }

        if (targets.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("Targets");
            foreach (var (target, met, figures) in targets)
                Console.WriteLine($"  {(met ? "met " : "MISS")}  {target,-52} {figures}");
        }

        if (lossFound)
            Console.WriteLine("LOSS: a blocking-mode run wrote fewer rows than it logged.");
        return lossFound ? 1 : 0;
    }

    /// <summary>
    /// Where each configuration's processor time went, by thread role, in seconds (medians of the runs): whether the
    /// writer had a core to itself, and what the other threads of the process asked of the machine beside it.
    /// </summary>
    static void PrintThreadTimes(Dictionary<string, List<Measurement>> results, IEnumerable<string> names)
    {
        var measured = names.Where(n => results[n].All(m => m.Threads != null)).ToList();
        if (measured.Count == 0)
            return;

        Console.WriteLine();
        Console.WriteLine(string.Create(Invariant,
            $"Processor time by thread, seconds a run (medians; Linux scheduler statistics, {Environment.ProcessorCount} logical processors)"));
        Row("configuration", "timed s", "writer on CPU", "writer waited", "checkpointer", "logging thr.", "other", "machine busy");
        foreach (var name in measured)
        {
            var runs = results[name];
            string Seconds(Func<ThreadTimes, double> part) => Median(runs.Select(m => part(m.Threads!))).ToString("0.00", Invariant);
            var busy = Median(runs.Select(m => m.Threads!.TotalSeconds / (Environment.ProcessorCount * m.Seconds)));
            Row(name, Median(runs.Select(m => m.Seconds)).ToString("0.00", Invariant), Seconds(t => t.WriterSeconds), Seconds(t => t.WriterWaitingSeconds),
                Seconds(t => t.CheckpointerSeconds), Seconds(t => t.LoggingThreadsSeconds), Seconds(t => t.OtherSeconds),
                busy.ToString("P0", Invariant));
        }

        Console.WriteLine("  (writer: the thread that inserts, the ceiling's included; writer waited: ready to run, but no processor was free.");
        Console.WriteLine("   other: the runtime's threads (collector, thread pool, where naive and batching-block write) and the main thread, whose");
        Console.WriteLine("   set-up before the timed part is counted too: the ceiling renders its rows there. machine busy: all of it over the timed part)");
    }

    /// <summary>Rows of configurations measured against others: drain runs by their rate, caller runs by their cost a call.</summary>
    static void PrintComparison(Dictionary<string, List<Measurement>> results, string againstBaseline, string againstNoOp,
        (string Name, string Baseline, string? NoOp)[] rows)
    {
        Row("configuration", "rows/s or ns a call", "min .. max", againstBaseline, againstNoOp, "peak WS MB", "GCs", "GC pause ms");
        foreach (var (name, baseline, noop) in rows)
        {
            Func<Measurement, double> value = name.StartsWith("caller", StringComparison.Ordinal) ? m => m.NanosecondsPerCall : m => m.RowsPerSecond;
            double MedianOf(string configuration) => Median(results[configuration].Select(value));
            var runs = results[name];
            Row(name, MedianOf(name).ToString("N0", Invariant),
                string.Create(Invariant, $"{runs.Min(value):N0} .. {runs.Max(value):N0}"),
                results.ContainsKey(baseline) ? Ratio(MedianOf(name), MedianOf(baseline)) : "-",
                noop != null && results.ContainsKey(noop) ? Ratio(MedianOf(name), MedianOf(noop)) : "-", MaxMegabytes(runs),
                Median(runs.Select(m => (double)m.GcCount)).ToString("N0", Invariant),
                Median(runs.Select(m => m.GcPauseMilliseconds)).ToString("N0", Invariant));
        }
    }

    /// <summary>
    /// The median of the ratios within each round, where a configuration meets its reference under the same conditions:
    /// on a machine whose speed swings from round to round, a steadier figure than the ratio of the two medians.
    /// </summary>
    static string RoundByRound(Dictionary<string, List<Measurement>> results, string name, string reference)
    {
        var ratios = results[name].Zip(results[reference], (m, r) => r.RowsPerSecond > 0 ? m.RowsPerSecond / r.RowsPerSecond : 0).ToList();
        return ratios.Count > 1
            ? string.Create(Invariant, $" by the medians; {Median(ratios):0.00}x by the median of the rounds' own ratios ({ratios.Min():0.00}x .. {ratios.Max():0.00}x)")
            : "";
    }

    public static string Count(long rows) => rows switch
    {
        0 => "0",
        >= 1_000_000 when rows % 1_000_000 == 0 => $"{rows / 1_000_000}M",
        >= 1_000 when rows % 1_000 == 0 => $"{rows / 1_000}k",
        _ => rows.ToString(Invariant),
    };

    static void Row(params string[] cells) =>
        Console.WriteLine("  " + string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(30) : c.PadLeft(i == 2 ? 21 : 15))));

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    static string Range(List<Measurement> runs) =>
        string.Create(Invariant, $"{runs.Min(m => m.RowsPerSecond):N0} .. {runs.Max(m => m.RowsPerSecond):N0}");

    static string Ratio(double value, double reference) => reference > 0 ? string.Create(Invariant, $"{value / reference:0.00}x") : "-";

    static string MaxMegabytes(List<Measurement> runs) => runs.Max(m => m.PeakWorkingSetMegabytes).ToString("N0", Invariant);
}
