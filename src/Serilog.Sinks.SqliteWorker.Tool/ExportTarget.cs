namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// The file an export writes, made whole or not at all: rows go to a temporary file beside it, which is renamed over
/// the target only once complete. An interrupted or failed export deletes its temporary file, so the target is either
/// the full export or what was there before. A named pipe or a device (<c>--out /dev/stdout</c>) is written in place:
/// it holds no file to keep whole, and renaming over it would replace it.
/// </summary>
sealed class ExportTarget(string path)
{
    public string Path { get; } = path;

    public async Task<long> WriteAsync(Func<Stream, Task<long>> write, CancellationToken cancellationToken)
    {
        if (DiskEntry.At(Path).Kind == DiskEntryKind.Special)
        {
            await using var stream = new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            return await write(stream).ConfigureAwait(false);
        }

        // Beside the target, so that the rename stays on one file system and is atomic; hidden, as editors name theirs.
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        var temporary = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():n}.tmp");
        try
        {
            long written;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                written = await write(file).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
            return written;
        }
        catch (OperationCanceledException ex)
        {
            Delete(temporary);
            throw new OperationCanceledException($"Interrupted: the export was stopped and {Left()}", ex, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Data.SQLite.SQLiteException)
        {
            Delete(temporary);
            throw new IOException($"The export failed, and {Left()}: {ex.Message}", ex);
        }
        catch
        {
            Delete(temporary);
            throw;
        }
    }

    string Left() => File.Exists(Path) ? $"'{Path}' was left as it was" : $"no file was written at '{Path}'";

    static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The export's own error is what the user needs to see.
        }
    }
}
