using PublicApiGenerator;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>
/// Any change to the public API shows up as a diff of the approved file, to be reviewed and committed on purpose.
/// </summary>
public class PublicApiTests
{
    [Test]
    public void ThePublicApiIsTheApprovedOne()
    {
        var approvedPath = Path.Combine(Repository.Root, "test", "Serilog.Sinks.SqliteWorker.Tests", "PublicApi", "Serilog.Sinks.SqliteWorker.approved.txt");
        var receivedPath = Path.ChangeExtension(approvedPath, null).Replace(".approved", ".received") + ".txt";
        var publicApi = typeof(SqliteWorkerLoggerConfigurationExtensions).Assembly
            .GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false })
            .ReplaceLineEndings("\n");

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (approved == publicApi)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, publicApi);
        Assert.Fail($"The public API changed. If that is intended, review the difference and approve it:\n  mv {receivedPath} {approvedPath}");
    }
}
