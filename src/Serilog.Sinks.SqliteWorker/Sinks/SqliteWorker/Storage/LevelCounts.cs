using System.Runtime.CompilerServices;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// A count for each of Serilog's levels, <see cref="LogEventLevel.Verbose"/> to <see cref="LogEventLevel.Fatal"/>, held
/// inline: the writer counts a batch's rows without allocating, and the report to OnBatchWritten copies the counts.
/// </summary>
[InlineArray(Levels)]
struct LevelCounts
{
    const int Levels = (int)LogEventLevel.Fatal + 1;

    int _count;

    /// <summary>Counts one event of <paramref name="level"/>; a level outside Serilog's six is not counted.</summary>
    public void Add(LogEventLevel level)
    {
        if ((uint)level < Levels)
            this[(int)level]++;
    }

    /// <summary>The events counted at <paramref name="level"/>; zero for a level outside Serilog's six.</summary>
    public readonly int Of(LogEventLevel level) => (uint)level < Levels ? this[(int)level] : 0;
}
