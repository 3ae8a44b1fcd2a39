using System.Diagnostics;
using System.Text.Json;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>What one child process measured. It travels to the parent as one line of JSON on standard output.</summary>
sealed record Measurement
{
    const string Prefix = "RESULT ";

    public required string Configuration { get; init; }
    public double Seconds { get; init; }
    /// <summary>For drains: the part of <see cref="Seconds"/> after the last log call, while the logger was disposed.</summary>
    public double ClosingSeconds { get; init; }
    /// <summary>Rows in the table after the run, less <see cref="RowsBefore"/>.</summary>
    public long Rows { get; init; }
    public long Expected { get; init; }
    public long Dropped { get; init; }
    public long RowsBefore { get; init; }
    public double NanosecondsPerCall { get; init; }
    public long PeakWorkingSetBytes { get; init; }
    /// <summary>For caller cost: the garbage collector's pauses, and its collections, during one burst (median).</summary>
    public double GcPauseMilliseconds { get; init; }
    public int GcCount { get; init; }
    /// <summary>Processor time the whole process used during the timed part, all threads together.</summary>
    public double CpuSeconds { get; init; }
    /// <summary>Bytes allocated on the managed heap during the timed part, per event.</summary>
    public double AllocatedBytesPerEvent { get; init; }
    /// <summary>The child's processor time by thread role, as its parent sampled it; null where it cannot be read.</summary>
    public ThreadTimes? Threads { get; init; }

    public double RowsPerSecond => Seconds > 0 ? Rows / Seconds : 0;
    public double CpuMicrosecondsPerRow => Rows > 0 ? CpuSeconds * 1e6 / Rows : 0;

    public static double ProcessorSeconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }
    public double PeakWorkingSetMegabytes => PeakWorkingSetBytes / (1024.0 * 1024.0);

    public void Print()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var final = this with { PeakWorkingSetBytes = process.PeakWorkingSet64 };
        Console.Out.WriteLine(Prefix + JsonSerializer.Serialize(final));
        Console.Out.Flush();
    }

    public static Measurement? TryParse(string line) =>
        line.StartsWith(Prefix, StringComparison.Ordinal) ? JsonSerializer.Deserialize<Measurement>(line[Prefix.Length..]) : null;
}
