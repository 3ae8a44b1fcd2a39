// The build: Clean -> Restore -> Build -> Test -> Pack. Run with ./build.sh [--target=Pack] [--configuration=Release].
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

RunTarget(target);
