using System.Diagnostics;

namespace Serilog.Sinks.SqliteWorker.Tests.Support;

/// <summary>
/// A small tmpfs of the test's own, for a disk that fills up or turns read-only. Mounting needs Linux and root (or
/// CAP_SYS_ADMIN); where that is not allowed the test is skipped, saying why, or fails in CI (see <see cref="Needs"/>).
/// Tests that mount one carry <c>[Category(Needs.Root)]</c>. Disposing unmounts it.
/// </summary>
sealed class Tmpfs : IDisposable
{
    Tmpfs(string path) => Path = path;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public static Tmpfs Mount(long sizeBytes)
    {
        if (!OperatingSystem.IsLinux())
            Needs.Missing(Needs.Root, "This test mounts a tmpfs, which needs Linux", "Run it on Linux, as CI does");
        var mount = Needs.Program(Needs.Root, "The mount command", "Install it with `apt-get install mount`", "mount");

        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sqliteworker-tmpfs", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(path);
        var (exitCode, error) = Run(mount, "-t", "tmpfs", "-o", $"size={sizeBytes}", "tmpfs", path);
        if (exitCode != 0)
        {
            Directory.Delete(path);
            Needs.Missing(Needs.Root, $"This test mounts a small tmpfs, which needs root or CAP_SYS_ADMIN, and mount said: {error.Trim()}",
                "Run the tests as root, or in a container started with --cap-add SYS_ADMIN");
        }

        return new Tmpfs(path);
    }

    public void RemountReadOnly() => Remount("ro");

    public void RemountReadWrite() => Remount("rw");

    public void Dispose()
    {
        if (Run("umount", Path).ExitCode != 0)
            Run("umount", "-l", Path); // still busy (a handle a failed test left open): detach it now, free it later
        try
        {
            Directory.Delete(Path);
        }
        catch (IOException)
        {
        }
    }

    void Remount(string mode)
    {
        var (exitCode, error) = Run("mount", "-o", $"remount,{mode}", Path);
        exitCode.Should().Be(0, $"remounting {Path} {mode} should work: {error}");
    }

    static (int ExitCode, string Error) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
