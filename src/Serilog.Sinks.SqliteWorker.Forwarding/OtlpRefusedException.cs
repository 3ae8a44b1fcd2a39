namespace Serilog.Sinks.SqliteWorker.Forwarding;

/// <summary>
/// The endpoint refused the forwarder itself (a wrong API key, a path it does not serve), so retrying the same request
/// cannot help. The cursor has not moved: every row is still pending, and is sent once the configuration is corrected.
/// </summary>
public sealed class OtlpRefusedException : Exception
{
    /// <summary>Creates the exception with the endpoint's answer.</summary>
    public OtlpRefusedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with the endpoint's answer and its cause.</summary>
    public OtlpRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
