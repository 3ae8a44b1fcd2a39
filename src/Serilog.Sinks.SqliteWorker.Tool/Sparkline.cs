namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>A row of block characters whose heights follow the values, lowest to highest.</summary>
static class Sparkline
{
    const string Blocks = "▁▂▃▄▅▆▇█";

    public static string Draw(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
            return "";
        var min = values.Min();
        var max = values.Max();
        var chars = new char[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var level = max > min ? (int)Math.Round((values[i] - min) / (max - min) * (Blocks.Length - 1)) : 0;
            chars[i] = Blocks[level];
        }

        return new string(chars);
    }
}
