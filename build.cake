// The build: Clean -> Restore -> Build -> Test -> Pack. Run with ./build.sh [--target=Pack] [--configuration=Release].
// Mutate, at the end, runs Stryker.NET on its own.
var target = Argument("target", "Pack");
var configuration = Argument("configuration", "Release");
var solution = "./Serilog.Sinks.SqliteWorker.sln";
var artifacts = Directory("./artifacts");

Task("Clean")
    .Does(() =>
{
    CleanDirectory(artifacts);
    DotNetClean(solution, new DotNetCleanSettings { Configuration = configuration });
});

Task("Restore")
    .IsDependentOn("Clean")
    .Does(() => DotNetRestore(solution));

Task("Build")
    .IsDependentOn("Restore")
    .Does(() => DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration, NoRestore = true }));

Task("Test")
    .IsDependentOn("Build")
    .Does(() => DotNetTest(solution, new DotNetTestSettings { Configuration = configuration, NoRestore = true, NoBuild = true }));

Task("Pack")
    .IsDependentOn("Test")
    .Does(() =>
{
    foreach (var project in GetFiles("./src/**/*.csproj"))
    {
        DotNetPack(project.FullPath, new DotNetPackSettings
        {
            Configuration = configuration,
            NoRestore = true,
            NoBuild = true,
            OutputDirectory = artifacts,
        });
    }
});

// Mutation testing with Stryker.NET, run by hand and never by CI: on two cores one core file takes tens of minutes.
//   ./build.sh --target=Mutate --mutate="**/RetentionPolicy.cs" [--testFilter="FullyQualifiedName~Retention"] [--project=Query]
// --project picks the sink (the default) or the query helper (Query); --mutate is a Stryker glob of the files to mutate;
// --testFilter narrows the tests run against each mutant. The HTML and JSON reports go to artifacts/mutation.
Task("Mutate")
    .Does(() =>
{
    var project = Argument("project", "Sink");
    var mutate = Argument("mutate", "**/*.cs");
    var testFilter = Argument("testFilter", "");
    var (projectFile, testFolder) = project == "Query"
        ? ("Serilog.Sinks.SqliteWorker.Query.csproj", "./test/Serilog.Sinks.SqliteWorker.Query.Tests")
        : ("Serilog.Sinks.SqliteWorker.csproj", "./test/Serilog.Sinks.SqliteWorker.Tests");
    var arguments = new ProcessArgumentBuilder()
        .Append("dotnet-stryker")
        .Append("--project").Append(projectFile)
        .Append("--mutate").AppendQuoted(mutate)
        .Append("--concurrency").Append("1")
        .Append("--reporter").Append("Html").Append("--reporter").Append("Json").Append("--reporter").Append("ClearText")
        .Append("--output").AppendQuoted(MakeAbsolute(Directory("./artifacts/mutation")).FullPath)
        .Append("--skip-version-check");
    if (testFilter != "")
        arguments.Append("--test-case-filter").AppendQuoted(testFilter);

    var exitCode = StartProcess("dotnet", new ProcessSettings { Arguments = arguments, WorkingDirectory = testFolder });
    if (exitCode != 0)
        throw new Exception($"Stryker.NET exited with {exitCode}.");
});

RunTarget(target);
