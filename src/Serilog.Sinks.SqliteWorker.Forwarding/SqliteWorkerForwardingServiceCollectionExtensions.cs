using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog.Sinks.SqliteWorker.Forwarding;

namespace Serilog;

/// <summary>
/// Runs a <see cref="SqliteForwarder"/> as a hosted service of the .NET Generic Host (and so of ASP.NET Core): it starts
/// and stops with the host. The forwarder is registered as a singleton, so that a health check or a page can read its
/// <see cref="SqliteForwarder.GetStatus"/>.
/// </summary>
public static class SqliteWorkerForwardingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the forwarder, configured from a section such as <c>"SqliteWorkerForwarding"</c> whose keys are the
    /// properties of <see cref="SqliteForwarderOptions"/>; the <c>OTEL_*</c> variables fill what it leaves out.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The section, for example <c>builder.Configuration.GetSection("SqliteWorkerForwarding")</c>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddSqliteWorkerForwarding(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddSqliteWorkerForwarding(options => configuration.Bind(options));
    }

    /// <summary>Adds the forwarder, configured in code; the <c>OTEL_*</c> variables fill what <paramref name="configure"/> leaves out.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddSqliteWorkerForwarding(this IServiceCollection services, Action<SqliteForwarderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddSingleton(_ =>
        {
            var options = new SqliteForwarderOptions();
            configure(options);
            // A protocol set in code or configuration differs from the default; only then does it outrank the variable.
            OtlpEnvironment.Apply(options, protocolGiven: options.Protocol != OtlpProtocol.HttpProtobuf);
            return new SqliteForwarder(options);
        });
        services.AddHostedService<ForwardingService>();
        return services;
    }
}

/// <summary>The forwarder's run as a hosted service: it follows the file from the host's start until its stop.</summary>
sealed class ForwardingService(SqliteForwarder forwarder) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => forwarder.RunAsync(stoppingToken);
}
