using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Serilog.Sinks.SqliteWorker.Viewer;

/// <summary>Maps the live log viewer into an ASP.NET Core app.</summary>
public static class SqliteWorkerViewerEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves a live view of the database written by <c>WriteTo.SqliteWorker()</c> at <paramref name="pattern"/>: the
    /// newest events as they arrive, filters kept in the URL, an event's detail, events per level and metric
    /// percentiles. The file is opened read-only on first use. The endpoints require an authorized user (the app's
    /// default policy) unless <see cref="SqliteWorkerViewerOptions.AllowAnonymous"/> is set; add policies to the
    /// returned group, as with any endpoints.
    /// </summary>
    /// <param name="endpoints">The app, or a route group, to map into.</param>
    /// <param name="pattern">The path of the view, such as <c>/logs</c>.</param>
    /// <param name="databasePath">The database, as given to <c>WriteTo.SqliteWorker()</c>.</param>
    /// <param name="configure">Sets the table names, page size, query timeout and other limits.</param>
    /// <returns>The group of the viewer's endpoints, for <c>RequireAuthorization("policy")</c> and other conventions.</returns>
    /// <exception cref="ArgumentException">The path is empty, or an option is out of range; the message says which.</exception>
    /// <example><code>
    /// app.MapSqliteWorkerViewer("/logs", "logs/app.db").RequireAuthorization("Admins");
    /// </code></example>
    public static RouteGroupBuilder MapSqliteWorkerViewer(this IEndpointRouteBuilder endpoints, string pattern, string databasePath,
        Action<SqliteWorkerViewerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        if (string.IsNullOrWhiteSpace(databasePath))
            throw new ArgumentException("The database path is empty. Give the file the sink writes, such as \"logs.db\".", nameof(databasePath));

        var options = new SqliteWorkerViewerOptions();
        configure?.Invoke(options);
        options.Validate();

        var events = new ViewerDatabase(databasePath, options);
        var charts = new ViewerDatabase(databasePath, options);
        var lifetime = endpoints.ServiceProvider.GetService<IHostApplicationLifetime>();
        lifetime?.ApplicationStopped.Register(events.Dispose);
        lifetime?.ApplicationStopped.Register(charts.Dispose);

        var group = endpoints.MapGroup(pattern);
        new ViewerEndpoints(events, charts, options, lifetime?.ApplicationStopping ?? CancellationToken.None).MapTo(group);
        if (options.AllowAnonymous)
            group.AllowAnonymous();
        else
            group.RequireAuthorization();
        return group;
    }
}
