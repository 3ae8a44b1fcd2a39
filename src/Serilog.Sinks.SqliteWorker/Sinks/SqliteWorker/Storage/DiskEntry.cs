using System.Runtime.InteropServices;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>What a path names, asked of the file system without opening it (opening a named pipe would block).</summary>
enum DiskEntryKind
{
    Missing,
    File,
    Directory,
    /// <summary>A device, a named pipe or a socket: nothing SQLite can keep a database in.</summary>
    Special,
}

/// <summary>
/// What a path names, following symbolic links, and on Linux which file it is: its device and inode, which tell the file
/// opened earlier from another since put at the same path. Where the system cannot say, <see cref="Identity"/> is 0 and a
/// device or pipe reads as a file.
/// </summary>
readonly partial record struct DiskEntry(DiskEntryKind Kind, UInt128 Identity)
{
    public static DiskEntry At(string path) =>
        OperatingSystem.IsLinux() && Statx.TryRead(path, out var entry) ? entry
        : File.Exists(path) ? new DiskEntry(DiskEntryKind.File, 0)
        : Directory.Exists(path) ? new DiskEntry(DiskEntryKind.Directory, 0)
        : new DiskEntry(DiskEntryKind.Missing, 0);

    /// <summary>Linux's statx(2), whose result has one layout on every architecture, unlike stat(2)'s.</summary>
    static unsafe partial class Statx
    {
        const int AtFdCwd = -100;
        const uint TypeAndInode = 0x0001 | 0x0100; // STATX_TYPE | STATX_INO
        const int NoEntry = 2; // ENOENT
        const int NotADirectory = 20; // ENOTDIR
        static bool _unavailable;

        public static bool TryRead(string path, out DiskEntry entry)
        {
            entry = default;
            if (_unavailable)
                return false;

            // struct statx is 256 bytes: stx_mode is a u16 at 28, stx_ino a u64 at 32, stx_dev_major and _minor u32s at 136.
            var buffer = stackalloc byte[256];
            int result;
            try
            {
                result = statx(AtFdCwd, path, 0, TypeAndInode, buffer);
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
            {
                // A C library older than statx: the managed checks answer instead.
                _unavailable = true;
                return false;
            }

            if (result != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error is not (NoEntry or NotADirectory))
                    return false;
                entry = new DiskEntry(DiskEntryKind.Missing, 0);
                return true;
            }

            var kind = (*(ushort*)(buffer + 28) & 0xF000) switch
            {
                0x8000 => DiskEntryKind.File,
                0x4000 => DiskEntryKind.Directory,
                _ => DiskEntryKind.Special,
            };
            var device = (ulong)*(uint*)(buffer + 136) << 32 | *(uint*)(buffer + 140);
            entry = new DiskEntry(kind, new UInt128(device, *(ulong*)(buffer + 32)));
            return true;
        }

        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        private static partial int statx(int directory, string path, int flags, uint mask, byte* buffer);
    }
}
