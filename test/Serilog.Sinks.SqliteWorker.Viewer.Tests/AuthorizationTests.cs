using System.Net;
using Microsoft.AspNetCore.Builder;
using Serilog.Sinks.SqliteWorker.Viewer.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Viewer.Tests;

/// <summary>The view mapped into an app with authentication: closed to anonymous requests unless the app opens it.</summary>
public sealed class AuthorizationTests
{
    static readonly string[] Paths = ["logs/", "logs/viewer.js", "logs/api/logs", "logs/api/live", "logs/api/logs/1", "logs/api/charts/levels.svg", "logs/api/metrics"];

    readonly TempFolder _folder = new();
    string _path = "";

    [OneTimeSetUp]
    public void WriteAFile()
    {
        _path = _folder.File("auth.db");
        SampleEvents.Write(_path);
    }

    [OneTimeTearDown]
    public void DeleteIt() => _folder.Dispose();

    [Test]
    public async Task AnAnonymousRequestIsRefusedByDefault()
    {
        await using var host = await ViewerHost.StartAsync(_path, authentication: true);
        foreach (var path in Paths)
        {
            using var response = await host.Client.GetAsync(path);
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"{path} must not be served to an anonymous request");
            (await response.Content.ReadAsStringAsync()).Should().NotContain("Order", "nothing from the file may leak");
        }
    }

    [Test]
    public async Task AnAppWithoutAuthorizationFailsTheRequestRatherThanServeIt()
    {
        await using var host = await ViewerHost.StartAsync(_path);
        using var response = await host.Client.GetAsync("logs/api/logs");
        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError, "ASP.NET Core refuses to run an endpoint that requires authorization without it");
        (await response.Content.ReadAsStringAsync()).Should().NotContain("Order");
    }

    [Test]
    public async Task ASignedInUserIsServed()
    {
        await using var host = await ViewerHost.StartAsync(_path, authentication: true);
        using var request = new HttpRequestMessage(HttpMethod.Get, "logs/api/logs?limit=3");
        request.Headers.Add("X-User", "ada");
        using var response = await host.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"rows\":[{\"id\":");
    }

    [Test]
    public async Task ThePolicyGivenToTheGroupApplies()
    {
        await using var host = await ViewerHost.StartAsync(_path, authentication: true, conventions: group => group.RequireAuthorization("Admins"));

        async Task<HttpStatusCode> As(string? role)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "logs/api/logs?limit=1");
            request.Headers.Add("X-User", "grace");
            if (role != null)
                request.Headers.Add("X-Role", role);
            using var response = await host.Client.SendAsync(request);
            return response.StatusCode;
        }

        (await As(null)).Should().Be(HttpStatusCode.Forbidden);
        (await As("admin")).Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task AllowAnonymousOpensTheViewToEveryone()
    {
        await using var host = await ViewerHost.StartAsync(_path, options => options.AllowAnonymous = true, authentication: true);
        using var response = await host.Client.GetAsync("logs/api/logs?limit=1");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
