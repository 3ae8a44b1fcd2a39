using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serilog.Sinks.SqliteWorker.Viewer.Tests.Support;

/// <summary>
/// An ASP.NET Core app on Kestrel, on a free loopback port, with the viewer mapped at <c>/logs</c> as an app maps it.
/// With authentication, a request is signed in when it carries <c>X-User</c> (and <c>X-Role</c> for its role).
/// </summary>
sealed class ViewerHost : IAsyncDisposable
{
    public const string Pattern = "/logs";

    readonly WebApplication _app;

    ViewerHost(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
        Client = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The app's root, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Root { get; }

    /// <summary>The viewer's page.</summary>
    public Uri Page => new(Root, Pattern.TrimStart('/') + "/");

    public HttpClient Client { get; }

    public static async Task<ViewerHost> StartAsync(string databasePath, Action<SqliteWorkerViewerOptions>? configure = null,
        bool authentication = false, Action<RouteGroupBuilder>? conventions = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        if (authentication)
        {
            builder.Services.AddAuthentication(HeaderUser.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderUser>(HeaderUser.SchemeName, null);
            builder.Services.AddAuthorization(options => options.AddPolicy("Admins", policy => policy.RequireRole("admin")));
        }

        var app = builder.Build();
        var group = app.MapSqliteWorkerViewer(Pattern, databasePath, configure);
        conventions?.Invoke(group);
        await app.StartAsync();
        return new ViewerHost(app, new Uri(app.Urls.Single().TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Signs a request in as the user named in its <c>X-User</c> header, with the role in <c>X-Role</c>.</summary>
    sealed class HeaderUser(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Header";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers["X-User"].FirstOrDefault() is not { Length: > 0 } user)
                return Task.FromResult(AuthenticateResult.NoResult());
            var claims = new List<Claim> { new(ClaimTypes.Name, user) };
            if (Request.Headers["X-Role"].FirstOrDefault() is { Length: > 0 } role)
                claims.Add(new Claim(ClaimTypes.Role, role));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName)));
        }
    }
}
