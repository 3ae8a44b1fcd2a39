using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>
/// Packs the shipped projects, checks what each package carries, and installs the libraries from a local folder into a
/// fresh project, as a user would: this catches a missing dependency or native library that project references hide.
/// </summary>
[Category("Packaging")]
[Category(Needs.Slow)]
public class PackageTests
{
    // A version of its own, so that NuGet's global cache never serves a package packed by an earlier run.
    static readonly string Version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    static readonly string[] PackageIds =
    [
        "Serilog.Sinks.SqliteWorker", "Serilog.Sinks.SqliteWorker.Query", "Serilog.Sinks.SqliteWorker.Forwarding",
        "Serilog.Sinks.SqliteWorker.Viewer", "Serilog.Sinks.SqliteWorker.Tool",
    ];

    TempFolder _folder = null!;
    string _feed = null!;

    [OneTimeSetUp]
    public void PackEveryShippedProject()
    {
        _folder = new TempFolder();
        _feed = Directory.CreateDirectory(Path.Combine(_folder.Path, "feed")).FullName;
        foreach (var id in PackageIds)
            DotNet(Repository.Root, "pack", $"src/{id}/{id}.csproj", "-c", "Release", "-o", _feed, $"-p:Version={Version}");
    }

    [OneTimeTearDown]
    public void DeleteTheFeed() => _folder.Dispose();

    string Package(string id) => Path.Combine(_feed, $"{id}.{Version}.nupkg");

    [TestCase("Serilog.Sinks.SqliteWorker")]
    [TestCase("Serilog.Sinks.SqliteWorker.Query")]
    public void TheLibrariesDeclareTheirLicenseReadmeAndDependenciesAndShipSymbols(string id)
    {
        File.Exists(Path.Combine(_feed, $"{id}.{Version}.snupkg")).Should().BeTrue("symbols ship as a snupkg");
        var nuspec = ReadNuspec(Package(id));
        nuspec.Element("license")!.Value.Should().Be("Apache-2.0");
        nuspec.Element("readme")!.Value.Should().Be("README.md");
        nuspec.Element("description")!.Value.Should().NotBeNullOrWhiteSpace();
        nuspec.Element("tags")!.Value.Should().Contain("serilog").And.Contain("sqlite");
        nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value)
            .Should().BeEquivalentTo("Serilog", "System.Data.SQLite", "SourceGear.sqlite3");
    }

    [TestCaseSource(nameof(PackageIds))]
    public void EachPackagePacksItsOwnReadmeAndTheRepositoryLicense(string id)
    {
        var nuspec = ReadNuspec(Package(id));
        nuspec.Element("license")!.Value.Should().Be("Apache-2.0");
        nuspec.Element("readme")!.Value.Should().Be("README.md");

        var readme = ReadEntry(Package(id), "README.md");
        readme.Should().Be(File.ReadAllText(Path.Combine(Repository.Root, "src", id, "README.md")),
            "each package carries the short README beside its project, not the repository's");
        readme.Should().NotBe(File.ReadAllText(Path.Combine(Repository.Root, "README.md")));
        ReadEntry(Package(id), "LICENSE").Should().Be(File.ReadAllText(Path.Combine(Repository.Root, "LICENSE")));
    }

    [TestCaseSource(nameof(PackageIds))]
    public void NoPackageNamesARepositoryOrProjectUrl(string id)
    {
        // No public repository exists yet. The only URL allowed is the one NuGet itself derives from the license
        // expression, for clients that predate expressions.
        var nuspec = ReadNuspec(Package(id));
        nuspec.Element("projectUrl").Should().BeNull();
        nuspec.Element("repository")?.Attribute("url").Should().BeNull();

        var urls = nuspec.DescendantsAndSelf().SelectMany(e => e.Attributes().Select(a => a.Value)
                .Concat(e.Nodes().OfType<XText>().Select(t => t.Value)))
            .Where(value => value.Contains("://", StringComparison.Ordinal));
        urls.Should().BeEquivalentTo(["https://licenses.nuget.org/Apache-2.0"]);
    }

    [Test]
    public void ThePackedPackagesInstallFromALocalFolderAndWork()
    {
        var app = Directory.CreateDirectory(Path.Combine(_folder.Path, "app")).FullName;
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RestoreAdditionalProjectSources>{_feed}</RestoreAdditionalProjectSources>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Serilog.Sinks.SqliteWorker" Version="{Version}" />
                <PackageReference Include="Serilog.Sinks.SqliteWorker.Query" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Serilog;
            using Serilog.Sinks.SqliteWorker.Query;

            Log.Logger = new LoggerConfiguration().WriteTo.SqliteWorker(args[0]).CreateLogger();
            Log.Information("Installed from {Source}", "a package");
            Log.Logger.Metric("installs", 1);
            await Log.CloseAndFlushAsync();

            using var db = SqliteWorkerDatabase.Open(args[0]);
            var statistics = db.GetStatistics();
            Console.WriteLine($"{statistics.LogCount} log, {statistics.MetricCount} metric");
            """);

        var database = Path.Combine(_folder.Path, "installed.db");
        DotNet(app, "run", "--", database).Should().Contain("1 log, 1 metric");

        Database.Scalar(database, "SELECT message FROM logs").Should().Be("Installed from \"a package\"");
        Database.Scalar(database, "SELECT metric_name FROM metrics").Should().Be("installs");
    }

    static string ReadEntry(string package, string name)
    {
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.GetEntry(name);
        entry.Should().NotBeNull($"{Path.GetFileName(package)} should contain {name}");
        using var reader = new StreamReader(entry!.Open());
        return reader.ReadToEnd();
    }

    static XElement ReadNuspec(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        using var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        return new XElement("metadata", metadata.Elements().Select(e => new XElement(e.Name.LocalName, e.Attributes(), e.Nodes())));
    }

    static string DotNet(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // The outer `dotnet test` sets MSBuild variables that must not leak into these builds.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "DOTNET_HOST_PATH" })
            start.Environment.Remove(name);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit(TimeSpan.FromMinutes(5)).Should().BeTrue($"dotnet {string.Join(' ', arguments)} should finish within 5 minutes");
        process.ExitCode.Should().Be(0, $"dotnet {string.Join(' ', arguments)} failed:\n{output.Result}\n{error.Result}");
        return output.Result;
    }
}
