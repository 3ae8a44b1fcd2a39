// The build: [Clean] -> Restore -> Build -> Test -> Pack. Run with ./build.sh [--target=Pack] [--configuration=Release]
// [--clean]; Clean runs only when asked (--clean, or --target=Clean). Bench and Mutate, at the end, run on their own.
var target = Argument("target", "Pack");
var clean = HasArgument("clean") || target == "Clean";
var configuration = Argument("configuration", "Release");
var solution = "./Serilog.Sinks.SqliteWorker.sln";
var artifacts = Directory("./artifacts");

Task("Clean")
    .WithCriteria(() => clean)
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

// The benchmark, in Release, in a process of its own (it starts one child process per measurement):
//   ./build.sh --target=Bench [--benchArgs="--only ceiling,drain --rounds 3"]
// About 7 minutes on two cores without arguments; docs/performance.md says what it prints.
Task("Bench")
    .Does(() =>
{
    var benchArgs = Argument("benchArgs", "");
    var exitCode = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = new ProcessArgumentBuilder()
            .Append("run").Append("-c").Append("Release")
            .Append("--project").Append("./test/Serilog.Sinks.SqliteWorker.Benchmarks")
            .Append("--").Append(benchArgs),
    });
    if (exitCode != 0)
        throw new Exception($"The benchmark exited with {exitCode}.");
});

// Mutation testing with Stryker.NET, run by hand and never by CI: on two cores one file takes 4 to 20 minutes with a filter.
//   ./build.sh --target=Mutate --mutate="**/RetentionPolicy.cs" [--testFilter="FullyQualifiedName~Retention"] [--project=Query]
// --project picks the sink (the default) or the query helper (Query); --mutate is a Stryker glob of the files to mutate;
// --testFilter narrows the tests run against each mutant: every sink test opens a database, so without one each mutant
// reruns most of the suite (docs/testing.md gives the filter used for each file). Reports go to artifacts/mutation.
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
