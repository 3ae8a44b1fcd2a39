using Spectre.Console;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// Where the tool writes: standard output (plain text, and Spectre.Console for tables and progress) and standard error
/// for one-line errors. Colour is used only on a terminal, and never when <c>NO_COLOR</c> is set.
/// </summary>
sealed class ToolConsole
{
    // Tables written to a pipe or file are not cut to Spectre's default of 80 columns.
    const int RedirectedWidth = 160;

    public ToolConsole(TextWriter output, TextWriter error, bool isTerminal, bool useColour, int? width = null)
    {
        Out = output;
        Error = error;
        IsTerminal = isTerminal;
        UseColour = useColour;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = useColour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (width != null || !isTerminal)
            Ansi.Profile.Width = width ?? RedirectedWidth;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Tables, grids and progress bars, on <see cref="Out"/>.</summary>
    public IAnsiConsole Ansi { get; }

    public bool IsTerminal { get; }

    public bool UseColour { get; }

    /// <summary>
    /// Runs <paramref name="work"/> under a spinner that says what it does, on a terminal. Redirected, it only runs it:
    /// no thread, no timer, nothing written, so a script reads exactly the result. The spinner is drawn at once, not at
    /// its first tick, which a short run ends before.
    /// </summary>
    public T Status<T>(string what, Func<T> work) =>
        IsTerminal ? Ansi.Status().Start(Markup.Escape(what), context => { context.Refresh(); return work(); }) : work();

    /// <inheritdoc cref="Status{T}"/>
    public Task<T> StatusAsync<T>(string what, Func<Task<T>> work) =>
        IsTerminal ? Ansi.Status().StartAsync(Markup.Escape(what), context => { context.Refresh(); return work(); }) : work();

    public static ToolConsole FromSystemConsole()
    {
        var isTerminal = !Console.IsOutputRedirected;
        return new ToolConsole(Console.Out, Console.Error, isTerminal,
            UsesColour(isTerminal, Environment.GetEnvironmentVariable("NO_COLOR")));
    }

    /// <summary>The no-color.org rule: a <c>NO_COLOR</c> that is present and not empty turns colour off.</summary>
    public static bool UsesColour(bool isTerminal, string? noColor) => isTerminal && string.IsNullOrEmpty(noColor);
}
