namespace Serilog.Sinks.SqliteWorker.Tests.Support;

static class Repository
{
    /// <summary>The repository's root folder: the one above the test binaries that holds the solution file.</summary>
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Serilog.Sinks.SqliteWorker.sln")))
                return folder.FullName;
        }

        throw new DirectoryNotFoundException("The repository root (with Serilog.Sinks.SqliteWorker.sln) was not found above the test binaries.");
    }
}
