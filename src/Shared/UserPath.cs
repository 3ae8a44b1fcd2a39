namespace Serilog.Sinks.SqliteWorker;

/// <summary>Turns a path given by a user into a full one, or an <see cref="ArgumentException"/> that names it.</summary>
static class UserPath
{
    /// <param name="path">The path as given.</param>
    /// <param name="what">What the path is for, as messages name it, such as "database path".</param>
    /// <param name="parameterName">The parameter the path came through.</param>
    public static string ToFull(string path, string what, string parameterName)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ArgumentException($"The {what} '{path}' is not a valid file path: {ex.Message}", parameterName, ex);
        }
    }
}
