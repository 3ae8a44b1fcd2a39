using Serilog.Sinks.SqliteWorker.Query.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Query.Tests;

[SetUpFixture]
public sealed class SampleDatabaseCleanup
{
    [OneTimeTearDown]
    public void DeleteSampleDatabase() => SampleDatabase.Delete();
}
