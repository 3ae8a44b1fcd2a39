using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>
/// What the sink makes of a failed write: whether the file cannot be used at all, and then what the report says it is
/// and what to do about it; and whether the failure may come from one of the batch's events rather than the file.
/// </summary>
public class WriteFailureCauseTests
{
    [Test]
    public void ARefusedSchemaSaysTheSinkCannotUseTheFileAndWhy()
    {
        var cause = WriteFailure.PermanentCause(Wrapped(new IncompatibleSchemaException("its schema version is 9")), Location("logs.db"));

        cause.Should().Be("cannot be used by the sink: its schema version is 9");
    }

    [Test]
    public void ADirectoryMadeWhereTheFileWasToBeSaysSoAndSuggestsAFileInIt()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var location = DatabaseLocation.Resolve(path);
        Directory.CreateDirectory(path);

        var cause = WriteFailure.PermanentCause(Wrapped(new SQLiteException(SQLiteErrorCode.CantOpen, "unable to open")), location);

        cause.Should().Be($"is a directory, not a database file. Configure a file path, such as \"{Path.Combine(path, "logs.db")}\"");
    }

    [Test]
    public void AccessRefusedByTheSystemSaysWhatAccessTheProcessNeeds()
    {
        var cause = WriteFailure.PermanentCause(Wrapped(new UnauthorizedAccessException("Access to the path is denied.")), Location("logs.db"));

        cause.Should().StartWith("cannot be created or opened by this process (Access to the path is denied.)")
            .And.EndWith("Give the process read and write access to the file and its folder, or configure another path");
    }

    [TestCase(SQLiteErrorCode.NotADb, "is not a SQLite database (or is encrypted)", "configure another path")]
    [TestCase(SQLiteErrorCode.Corrupt, "is corrupt", "with the sqlite3 client's .recover if its contents matter), then restart the application")]
    [TestCase(SQLiteErrorCode.ReadOnly, "is read-only for this process (the file, its folder, or the file system)",
        "Give the process write access to the file and its folder, or configure another path, then restart the application")]
    [TestCase(SQLiteErrorCode.Perm, "is read-only for this process", "then restart the application")]
    [TestCase(SQLiteErrorCode.Corrupt_Vtab, "is corrupt", "move it aside")]
    public void AFileSQLiteCannotUseSaysWhatItIsAndWhatToDo(SQLiteErrorCode code, string what, string fix)
    {
        var cause = WriteFailure.PermanentCause(Wrapped(new SQLiteException(code, "the engine's message")), Location("logs.db"));

        cause.Should().StartWith(what).And.Contain(fix);
    }

    [Test]
    public void AFileThatCannotBeOpenedInAWritableFolderIsNotCalledUnusable()
    {
        using var folder = new TempFolder();

        WriteFailure.PermanentCause(new SQLiteException(SQLiteErrorCode.CantOpen, "unable to open"), DatabaseLocation.Resolve(folder.File("logs.db")))
            .Should().BeNull("the folder is writable, so the failure is not the folder's and may pass");
        Directory.EnumerateFileSystemEntries(folder.Path).Should().BeEmpty("the probe of the folder is deleted as it closes");
    }

    [Test]
    public void AFileThatCannotBeOpenedInAFolderThatIsNotThereIsNotCalledReadOnly()
    {
        using var folder = new TempFolder();
        var location = DatabaseLocation.Resolve(Path.Combine(folder.Path, "missing", "logs.db"));

        WriteFailure.PermanentCause(new SQLiteException(SQLiteErrorCode.CantOpen, "unable to open"), location).Should().BeNull();
    }

    [TestCase(SQLiteErrorCode.Busy)]
    [TestCase(SQLiteErrorCode.Full)]
    [TestCase(SQLiteErrorCode.IoErr)]
    public void AFailureThatMayPassIsNotCalledUnusable(SQLiteErrorCode code) =>
        WriteFailure.PermanentCause(Wrapped(new SQLiteException(code, "the engine's message")), Location("logs.db")).Should().BeNull();

    [Test]
    public void OnlyFailuresThatAnEventCanCauseAreTriedRowByRow()
    {
        foreach (var code in new[] { SQLiteErrorCode.TooBig, SQLiteErrorCode.Constraint, SQLiteErrorCode.Mismatch, SQLiteErrorCode.Range, SQLiteErrorCode.Constraint_NotNull })
            WriteFailure.MayComeFromAnEvent(Wrapped(new SQLiteException(code, "m"))).Should().BeTrue($"{code} may come from one row");
        foreach (var code in new[] { SQLiteErrorCode.Busy, SQLiteErrorCode.Full, SQLiteErrorCode.Corrupt, SQLiteErrorCode.ReadOnly })
            WriteFailure.MayComeFromAnEvent(Wrapped(new SQLiteException(code, "m"))).Should().BeFalse($"{code} is the file's, not a row's");

        WriteFailure.MayComeFromAnEvent(Wrapped(new IncompatibleSchemaException("m"))).Should().BeFalse();
        WriteFailure.MayComeFromAnEvent(new IOException("the disk")).Should().BeFalse();
        WriteFailure.MayComeFromAnEvent(Wrapped(new UnauthorizedAccessException("m"))).Should().BeFalse();
        WriteFailure.MayComeFromAnEvent(Wrapped(new FormatException("an event's value could not be formatted"))).Should().BeTrue();
    }

    [Test]
    public void ADiskFullIsKnownThroughTheWrapper()
    {
        WriteFailure.IsDiskFull(Wrapped(new SQLiteException(SQLiteErrorCode.Full, "database or disk is full"))).Should().BeTrue();
        WriteFailure.IsDiskFull(Wrapped(new SQLiteException(SQLiteErrorCode.IoErr, "disk I/O error"))).Should().BeFalse();
        WriteFailure.IsDiskFull(new IOException("no space")).Should().BeFalse();
    }

    // As the sink wraps what failed: in a plain IOException that names the database.
    static IOException Wrapped(Exception inner) => new("writing to 'logs.db' failed", inner);

    static DatabaseLocation Location(string file) => DatabaseLocation.Resolve(Path.Combine(Path.GetTempPath(), "sqliteworker-tests", file));
}
