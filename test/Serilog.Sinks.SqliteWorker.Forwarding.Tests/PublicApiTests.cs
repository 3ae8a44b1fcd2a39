using PublicApiGenerator;

namespace Serilog.Sinks.SqliteWorker.Forwarding.Tests;

/// <summary>Any change to the forwarder's public API shows up as a diff of the approved file, reviewed and committed on purpose.</summary>
public class PublicApiTests
{
    [Test]
    public void ThePublicApiIsTheApprovedOne()
    {
        var assembly = typeof(SqliteForwarder).Assembly;
        var folder = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "PublicApi");
        var approvedPath = Path.GetFullPath(Path.Combine(folder, $"{assembly.GetName().Name}.approved.txt"));
        var receivedPath = Path.GetFullPath(Path.Combine(folder, $"{assembly.GetName().Name}.received.txt"));
        var publicApi = assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }).ReplaceLineEndings("\n");

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
