using System.Diagnostics;
using System.Globalization;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>
/// Runs every configuration in its own child process, alternating configurations round after round so that a slow
/// moment on a shared machine does not land on one configuration only, and prints medians.
/// </summary>
static class Orchestrator
{
    /// <param name="Gen0Size">The young generation's budget in bytes (<c>DOTNET_GCgen0size</c>), or null for the runtime's own.</param>
    sealed record Step(string Name, string[] Arguments, string? FreshDatabase, bool ServerGc = false, long? Gen0Size = null);

    /// <summary>The young-generation budget the <c>gen0</c> group sets: 64 MB.</summary>
    public const long Gen0Size = 64L * 1024 * 1024;

    /// <summary>The sinks of the caller group, each measured as <c>caller-NAME</c> and <c>caller-NAME-server-gc</c>.</summary>
    public static readonly string[] CallerSinks = ["sqlite", "batched-noop", "keep-values", "keep-numbers", "noop"];

    public static int Run(BenchmarkOptions options)
    {
        var work = options.WorkFolder ?? Path.Combine(Path.GetTempPath(), "sqliteworker-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        Report.PrintHeader(options, work);

        try
        {
            var steps = Plan(options, work);
            var results = steps.ToDictionary(s => s.Name, _ => new List<Measurement>());
            var total = Stopwatch.StartNew();
            for (var round = 0; round < options.Rounds; round++)
            {
                // Each round starts elsewhere in the list, so no configuration always runs first or right after another.
                var offset = round * steps.Count / options.Rounds;
                foreach (var step in steps.Skip(offset).Concat(steps.Take(offset)))
                {
                    if (step.FreshDatabase != null)
                        BenchmarkDatabase.Delete(step.FreshDatabase);
                    var measurement = RunChild(step.Arguments, step.ServerGc, step.Gen0Size) with { Configuration = step.Name };
                    results[step.Name].Add(measurement);
                    Report.PrintProgress(round + 1, options.Rounds, measurement);
                    if (step.FreshDatabase != null)
                        BenchmarkDatabase.Delete(step.FreshDatabase);
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"All rounds took {total.Elapsed.TotalMinutes:0.0} minutes."));
            return Report.PrintTables(options, results);
        }
        finally
        {
            if (options.WorkFolder == null)
                Directory.Delete(work, recursive: true);
        }
    }

    static List<Step> Plan(BenchmarkOptions options, string work)
    {
        var steps = new List<Step>();
        string Db(string name) => Path.Combine(work, name + ".db");
        string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
        string[] Drain(int perProducer) => [$"producers={options.Producers}", $"perProducer={Number(perProducer)}", .. QueueLimit(), .. BatchSize()];
        string[] QueueLimit() => options.QueueLimit is { } limit ? [$"queueLimit={Number(limit)}"] : [];
        string[] BatchSize() => options.BatchSizeLimit is { } size ? [$"batchSizeLimit={Number(size)}"] : [];
        string[] Caller(string sink, string db) =>
            ["caller", $"sink={sink}", $"db={db}", $"producers={options.Producers}", $"burst={Number(options.BurstPerProducer)}",
                $"bursts={Number(options.Bursts)}", .. QueueLimit()];

        if (options.Groups.Contains("ceiling"))
        {
            foreach (var shape in options.CeilingRowsPerStatement)
                steps.Add(new Step($"ceiling-{shape}",
                    ["ceiling", $"db={Db("ceiling")}", $"rows={Number(options.CeilingRows)}", $"rowsPerStatement={shape}"], Db("ceiling")));
            steps.Add(new Step("ceiling-25-inline",
                ["ceiling", $"db={Db("ceiling")}", $"rows={Number(options.CeilingRows)}", "rowsPerStatement=25", "inline=true"], Db("ceiling")));
            steps.Add(new Step("engine-25",
                ["engine", $"db={Db("ceiling")}", $"rows={Number(options.CeilingRows)}", "rowsPerStatement=25"], Db("ceiling")));
        }

        if (options.Groups.Contains("drain"))
        {
            steps.Add(new Step("sink-block", ["sink", "name=sink-block", $"db={Db("block")}", "block=true", .. Drain(options.EventsPerProducer)], Db("block")));
            steps.Add(new Step("writer-alone", ["writer", $"db={Db("writer")}", $"events={Number(options.DrainEvents)}"], Db("writer")));
            steps.Add(new Step("sink-drop", ["sink", "name=sink-drop", $"db={Db("drop")}", "block=false", .. Drain(options.EventsPerProducer)], Db("drop")));
            steps.Add(new Step("naive", ["naive", $"db={Db("naive")}", .. Drain(options.EventsPerProducer)], Db("naive")));
        }

        if (options.Groups.Contains("caller"))
        {
            // Console apps collect with the workstation GC; ASP.NET Core apps with the server GC, whose far larger
            // young generation changes what queued events cost the callers. Both are measured.
            foreach (var serverGc in new[] { false, true })
            foreach (var sink in CallerSinks)
                steps.Add(new Step($"caller-{sink}{(serverGc ? "-server-gc" : "")}", Caller(sink, Db("caller")), Db("caller"), serverGc));
        }

        if (options.Groups.Contains("growth"))
        {
            foreach (var rows in options.GrowthRowsBefore)
            {
                var name = $"growth-{Report.Count(rows)}";
                if (rows > 0)
                {
                    var prefill = RunChild(["prefill", $"db={Db(name)}", $"rows={Number(rows)}"]);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"Pre-filled {name}.db with {prefill.Rows:N0} rows in {prefill.Seconds:0.0} s."));
                }

                steps.Add(new Step(name, ["sink", $"name={name}", $"db={Db(name)}", "block=true", .. Drain(options.GrowthEventsPerProducer)],
                    rows == 0 ? Db(name) : null));
            }
        }

        if (options.Groups.Contains("autovacuum"))
        {
            // The provider ceiling into a new file made with and without incremental auto-vacuum; and the sink's writer
            // without a size limit and with one it never reaches, which makes the new file with auto-vacuum.
            foreach (var autoVacuum in new[] { false, true })
                steps.Add(new Step($"ceiling-25-{(autoVacuum ? "" : "no-")}autovacuum",
                    ["ceiling", $"db={Db("autovacuum")}", $"rows={Number(options.CeilingRows)}", "rowsPerStatement=25",
                        $"autoVacuum={(autoVacuum ? "true" : "false")}"], Db("autovacuum")));
            steps.Add(new Step("writer-no-limit", ["writer", $"db={Db("autovacuum")}", $"events={Number(options.DrainEvents)}"], Db("autovacuum")));
            steps.Add(new Step("writer-size-limit",
                ["writer", $"db={Db("autovacuum")}", $"events={Number(options.DrainEvents)}", $"maxDatabaseSize={Number(1L << 40)}"], Db("autovacuum")));
        }

        if (options.Groups.Contains("gen0"))
        {
            // A setting of the application, not of the sink: a young generation large enough that a burst of queued
            // events rarely meets a collection, so they are not copied. Compared with the drain and caller groups' runs.
            steps.Add(new Step("sink-block-gen0", ["sink", "name=sink-block-gen0", $"db={Db("gen0")}", "block=true", .. Drain(options.EventsPerProducer)],
                Db("gen0"), Gen0Size: Gen0Size));
            foreach (var sink in new[] { "sqlite", "noop" })
                steps.Add(new Step($"caller-{sink}-gen0", Caller(sink, Db("gen0")), Db("gen0"), Gen0Size: Gen0Size));
        }

        if (options.Groups.Contains("batching"))
        {
            // The alternative design, the sink's writer behind Serilog's batching, compared with the drain and caller groups' runs.
            steps.Add(new Step("batching-block", ["batching", $"db={Db("batching")}", .. Drain(options.EventsPerProducer)], Db("batching")));
            steps.Add(new Step("caller-batching", Caller("batching", Db("batching")), Db("batching")));
            steps.Add(new Step("call-alone", ["cost", "of=call"], null));
            steps.Add(new Step("render-alone", ["cost", "of=render"], null));
        }

        return steps;
    }

    static Measurement RunChild(string[] arguments, bool serverGc = false, long? gen0Size = null)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Run as "dotnet Benchmarks.dll", the child needs the assembly named again.
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(Orchestrator).Assembly.Location);
        start.Environment["DOTNET_gcServer"] = serverGc ? "1" : "0";
        // Set for the configurations that ask for it, and never inherited from the shell by the others.
        start.Environment.Remove("DOTNET_GCgen0size");
        if (gen0Size is { } budget)
            start.Environment["DOTNET_GCgen0size"] = budget.ToString("X", CultureInfo.InvariantCulture);
        start.ArgumentList.Add("--child");
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The child process did not start.");
        var exited = process.WaitForExitAsync();
        var threads = ThreadTimes.SampleAsync(process.Id, exited);
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        var measurement = output.Split('\n').Select(l => Measurement.TryParse(l.TrimEnd('\r'))).LastOrDefault(m => m != null);
        if (process.ExitCode != 0 || measurement == null)
            throw new InvalidOperationException(
                $"The child '{string.Join(' ', arguments)}' failed with exit code {process.ExitCode}:\n{output}\n{errors.Result}");
        return measurement with { Threads = threads.GetAwaiter().GetResult() };
    }
}
