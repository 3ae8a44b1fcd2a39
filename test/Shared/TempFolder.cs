namespace Serilog.Sinks.SqliteWorker.Testing;

/// <summary>A fresh folder under the system temp directory, deleted with everything in it on dispose.</summary>
sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sqliteworker-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A test that failed may still hold a handle; the OS cleans the temp folder eventually.
        }
    }
}
