using Serilog.Sinks.SqliteWorker.Benchmarks;

// The benchmark runs every measurement in a child process of its own (this program, re-invoked with "--child"), so
// that each one starts from a clean heap and reports its own peak working set.
try
{
    return args is ["--child", ..]
        ? ChildProcess.Run(args[1..])
        : Orchestrator.Run(BenchmarkOptions.Parse(args));
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}
