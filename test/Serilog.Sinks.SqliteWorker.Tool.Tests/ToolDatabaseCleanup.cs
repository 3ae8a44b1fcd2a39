using Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests;

/// <summary>Deletes the shared database once every test in the assembly has run.</summary>
[SetUpFixture]
public sealed class ToolDatabaseCleanup
{
    [OneTimeTearDown]
    public void DeleteTheSharedDatabase() => ToolDatabase.Delete();
}
