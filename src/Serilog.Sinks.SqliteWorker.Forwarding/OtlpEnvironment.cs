namespace Serilog.Sinks.SqliteWorker.Forwarding;

/// <summary>
/// The standard OpenTelemetry environment variables: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>,
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>, <c>OTEL_SERVICE_NAME</c> and
/// <c>OTEL_RESOURCE_ATTRIBUTES</c>, applied to the options that were not given otherwise.
/// </summary>
public static class OtlpEnvironment
{
    /// <summary>
    /// Fills what <paramref name="options"/> leaves unset from <paramref name="variables"/>: the endpoint, the service
    /// name, and headers and resource attributes of names not given already. The protocol is taken from the variables
    /// only when <paramref name="protocolGiven"/> is false.
    /// </summary>
    /// <param name="options">The options to complete.</param>
    /// <param name="variables">The environment; <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    /// <param name="protocolGiven">Whether the protocol was chosen explicitly, so that the variable does not override it.</param>
    /// <exception cref="ArgumentException">A variable holds a value the forwarder cannot use; the message names it.</exception>
    public static void Apply(SqliteForwarderOptions options, Func<string, string?>? variables = null, bool protocolGiven = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        variables ??= Environment.GetEnvironmentVariable;

        if (string.IsNullOrWhiteSpace(options.Endpoint) && Value(variables, "OTEL_EXPORTER_OTLP_ENDPOINT") is { } endpoint)
            options.Endpoint = endpoint;
        if (!protocolGiven && Value(variables, "OTEL_EXPORTER_OTLP_PROTOCOL") is { } protocol)
            options.Protocol = ParseProtocol(protocol, "OTEL_EXPORTER_OTLP_PROTOCOL");
        if (string.IsNullOrWhiteSpace(options.ServiceName) && Value(variables, "OTEL_SERVICE_NAME") is { } serviceName)
            options.ServiceName = serviceName;
        foreach (var (name, value) in Pairs(Value(variables, "OTEL_EXPORTER_OTLP_HEADERS"), "OTEL_EXPORTER_OTLP_HEADERS"))
            options.Headers.TryAdd(name, value);
        foreach (var (name, value) in Pairs(Value(variables, "OTEL_RESOURCE_ATTRIBUTES"), "OTEL_RESOURCE_ATTRIBUTES"))
            options.ResourceAttributes.TryAdd(name, value);
    }

    /// <summary>Reads a protocol as OpenTelemetry names it: <c>http/protobuf</c> or <c>grpc</c>.</summary>
    /// <exception cref="ArgumentException">Any other value, such as <c>http/json</c>, which the forwarder does not send.</exception>
    public static OtlpProtocol ParseProtocol(string value, string source) => value.Trim().ToLowerInvariant() switch
    {
        "http/protobuf" => OtlpProtocol.HttpProtobuf,
        "grpc" => OtlpProtocol.Grpc,
        _ => throw new ArgumentException($"{source} is '{value}'; the forwarder sends http/protobuf or grpc.", nameof(value)),
    };

    /// <summary>
    /// Reads <c>key1=value1,key2=value2</c>, the format of <c>OTEL_EXPORTER_OTLP_HEADERS</c> and
    /// <c>OTEL_RESOURCE_ATTRIBUTES</c>, whose values are percent-encoded.
    /// </summary>
    /// <exception cref="ArgumentException">A member has no <c>=</c> or no name.</exception>
    public static IEnumerable<KeyValuePair<string, string>> Pairs(string? list, string source)
    {
        if (string.IsNullOrWhiteSpace(list))
            yield break;
        foreach (var member in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = member.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new ArgumentException($"{source} holds '{member}', which is not NAME=VALUE; separate pairs with commas.", nameof(list));
            yield return new(Uri.UnescapeDataString(member[..equals].Trim()), Uri.UnescapeDataString(member[(equals + 1)..].Trim()));
        }
    }

    static string? Value(Func<string, string?> variables, string name) =>
        variables(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
