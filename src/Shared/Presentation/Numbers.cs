using System.Globalization;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Numbers as the tool shows them: invariant, with thousands separators throughout; counts, metric values to three
/// decimals, rates to two, byte sizes.
/// </summary>
static class Numbers
{
    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    public static string Value(double? value) => value?.ToString("#,0.###", CultureInfo.InvariantCulture) ?? "-";

    public static string Rate(double perSecond) => perSecond.ToString("#,0.##", CultureInfo.InvariantCulture);

    public static string Percent(double percentage) => percentage.ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double size = bytes;
        var unit = 0;
        while (size >= 1024 && unit < units.Length - 1)
        {
            size /= 1024;
            unit++;
        }

        return unit == 0
            ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
            : size.ToString("#,0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
