using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Viewer;

/// <summary>
/// The page, its script and its stylesheet, all served by the viewer itself: nothing is fetched from elsewhere, and the
/// Content-Security-Policy forbids it, along with any inline script, so that a logged value can never run as code.
/// </summary>
static class ViewerPage
{
    /// <summary>The page may load its own script, stylesheet and chart images, and talk to its own endpoints; nothing else.</summary>
    public const string PagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>A chart opened on its own is a document: it may style itself, and do nothing more.</summary>
    public const string ImagePolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

    static readonly byte[] Template = Read("viewer.html");

    public static readonly byte[] Script = Read("viewer.js");

    // The level colours are the report's, so that both views read alike.
    public static readonly byte[] Style = [.. Read("viewer.css"), .. Encoding.UTF8.GetBytes(LevelRules())];

    public static async Task Html(HttpContext context, string title, string zone)
    {
        var html = Encoding.UTF8.GetString(Template)
            .Replace("{{title}}", WebUtility.HtmlEncode(title), StringComparison.Ordinal)
            .Replace("{{zone}}", WebUtility.HtmlEncode(zone), StringComparison.Ordinal);
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        SecurityHeaders(context.Response);
        await context.Response.WriteAsync(html, context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task Asset(HttpContext context, byte[] content, string contentType)
    {
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-cache";
        SecurityHeaders(context.Response);
        await context.Response.Body.WriteAsync(content, context.RequestAborted).ConfigureAwait(false);
    }

    public static void SecurityHeaders(HttpResponse response, string policy = PagePolicy)
    {
        response.Headers.ContentSecurityPolicy = policy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
    }

    static string LevelRules() => string.Concat(Enum.GetValues<LogEventLevel>().Select(level =>
        $".lvl-{level} {{ --level: {SvgChart.LevelColour(level)}; }}\n"));

    static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Viewer." + name)
                           ?? throw new InvalidOperationException($"The viewer's {name} is missing from its assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
