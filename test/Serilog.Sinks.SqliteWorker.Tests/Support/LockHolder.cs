using System.Diagnostics;

namespace Serilog.Sinks.SqliteWorker.Tests.Support;

/// <summary>
/// Another process (the sqlite3 client) holding the database's write lock in an open transaction until it is released
/// or disposed.
/// </summary>
sealed class LockHolder : IDisposable
{
    readonly Process _process;

    LockHolder(Process process) => _process = process;

    public static LockHolder Take(string databasePath)
    {
        var start = new ProcessStartInfo(Sqlite3Client.Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(databasePath);
        var holder = new LockHolder(Process.Start(start)!);
        holder._process.StandardInput.WriteLine("BEGIN IMMEDIATE; SELECT 'locked';");
        holder._process.StandardInput.Flush();
        holder._process.StandardOutput.ReadLine().Should().Be("locked", "sqlite3 should hold the write lock");
        return holder;
    }

    public void Release()
    {
        if (_process.HasExited)
            return;
        _process.StandardInput.WriteLine("ROLLBACK;");
        _process.StandardInput.Close();
        _process.WaitForExit(30_000).Should().BeTrue("sqlite3 should exit when its input ends");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
