using PublicApiGenerator;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>
/// Any change to the public API shows up as a diff of the approved file, to be reviewed and committed on purpose.
/// </summary>
public class PublicApiTests
{
    [TestCase(typeof(SqliteWorkerLoggerConfigurationExtensions))]
    [TestCase(typeof(Query.SqliteWorkerDatabase))]
    [TestCase(typeof(Viewer.SqliteWorkerViewerOptions))]
    public void ThePublicApiIsTheApprovedOne(Type typeInAssembly)
    {
        var assembly = typeInAssembly.Assembly;
        var folder = Path.Combine(Repository.Root, "test", "Serilog.Sinks.SqliteWorker.Tests", "PublicApi");
        var approvedPath = Path.Combine(folder, $"{assembly.GetName().Name}.approved.txt");
        var receivedPath = Path.Combine(folder, $"{assembly.GetName().Name}.received.txt");
        var publicApi = assembly
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
