using System.Globalization;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>
/// Where a child process's processor time went, by the role of its threads: the sink's writer, the checkpointer, the
/// logging threads, and the runtime's own (collector, thread pool, JIT). For the writer it also counts the time it was
/// ready to run but waited for a processor, which says whether the machine had a core free for it.
/// </summary>
/// <remarks>
/// Read from Linux's per-thread scheduler statistics (<c>/proc/PID/task/TID/schedstat</c>: nanoseconds on a processor,
/// nanoseconds waiting in a run queue), which the parent samples every 20 ms while the child runs, keeping each
/// thread's last reading, so a thread that ends is still counted, less at most its last 20 ms. Elsewhere there is
/// nothing to read and the figures stay empty.
/// </remarks>
sealed record ThreadTimes
{
    public double WriterSeconds { get; init; }
    public double WriterWaitingSeconds { get; init; }
    public double CheckpointerSeconds { get; init; }
    public double LoggingThreadsSeconds { get; init; }
    /// <summary>The runtime's threads (the collector's, the thread pool's, the JIT's) and the process's main thread.</summary>
    public double OtherSeconds { get; init; }

    public double TotalSeconds => WriterSeconds + CheckpointerSeconds + LoggingThreadsSeconds + OtherSeconds;

    /// <summary>Samples the process's threads until it exits; null when the system keeps no such statistics.</summary>
    public static async Task<ThreadTimes?> SampleAsync(int processId, Task exited)
    {
        var tasks = $"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/task";
        if (!OperatingSystem.IsLinux() || !Directory.Exists(tasks))
            return null;

        var last = new Dictionary<string, (string Name, long RunNanoseconds, long WaitNanoseconds)>();
        while (!exited.IsCompleted)
        {
            try
            {
                foreach (var thread in Directory.EnumerateDirectories(tasks))
                {
                    if (TryRead(thread) is { } reading)
                        last[thread] = reading;
                }
            }
            catch (IOException)
            {
                // The process ended while its threads were listed.
            }

            await Task.WhenAny(exited, Task.Delay(20)).ConfigureAwait(false);
        }

        if (last.Count == 0)
            return null;

        double Seconds(Func<string, bool> role, bool waiting = false) =>
            last.Values.Where(t => role(t.Name)).Sum(t => waiting ? t.WaitNanoseconds : t.RunNanoseconds) / 1e9;
        return new ThreadTimes
        {
            WriterSeconds = Seconds(IsWriter),
            WriterWaitingSeconds = Seconds(IsWriter, waiting: true),
            CheckpointerSeconds = Seconds(IsCheckpointer),
            LoggingThreadsSeconds = Seconds(IsLoggingThread),
            OtherSeconds = Seconds(n => !IsWriter(n) && !IsCheckpointer(n) && !IsLoggingThread(n)),
        };
    }

    // Linux keeps the first 15 bytes of a thread's name: "SqliteWorker('/tmp/..." is the writer, whose thread is named
    // after the sink ("SqliteWorker('path') writer"), and "SqliteWorker ch" the checkpointer.
    static bool IsWriter(string name) => name.StartsWith("SqliteWorker(", StringComparison.Ordinal);
    static bool IsCheckpointer(string name) => name.StartsWith("SqliteWorker ch", StringComparison.Ordinal);
    static bool IsLoggingThread(string name) => name.StartsWith("producer ", StringComparison.Ordinal);

    static (string, long, long)? TryRead(string thread)
    {
        try
        {
            var name = File.ReadAllText(Path.Combine(thread, "comm")).TrimEnd('\n');
            var fields = File.ReadAllText(Path.Combine(thread, "schedstat")).Split(' ');
            return (name, long.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // The thread ended between listing and reading, or the kernel keeps no statistics.
            return null;
        }
    }
}
