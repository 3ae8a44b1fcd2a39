using System.Globalization;

namespace SqliteWorkerSample;

/// <summary>The sample's command line: <c>[--threads N] [--seconds D] [--full-speed] [--db PATH]</c>.</summary>
sealed record SampleSettings(int Threads, double Seconds, bool FullSpeed, string DatabasePath)
{
    public static SampleSettings Parse(string[] args)
    {
        var settings = new SampleSettings(Threads: 8, Seconds: 5, FullSpeed: false, DatabasePath: "sample.db");
        for (var i = 0; i < args.Length; i++)
        {
            settings = args[i] switch
            {
                "--threads" => settings with { Threads = Positive(int.Parse(Next(args, ref i), CultureInfo.InvariantCulture), "--threads") },
                "--seconds" => settings with { Seconds = Positive(double.Parse(Next(args, ref i), CultureInfo.InvariantCulture), "--seconds") },
                "--full-speed" => settings with { FullSpeed = true },
                "--db" => settings with { DatabasePath = Next(args, ref i) },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: [--threads N] [--seconds D] [--full-speed] [--db PATH]"),
            };
        }

        return settings;
    }

    static string Next(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    static T Positive<T>(T value, string name) where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new ArgumentException($"{name} must be greater than zero.");
}
