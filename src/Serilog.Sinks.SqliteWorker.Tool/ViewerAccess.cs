using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// Who may use the served view. On loopback: requests addressed to this machine by name or loopback address, so that a
/// web page elsewhere cannot reach the view by pointing its own host name at 127.0.0.1. Elsewhere: requests that carry
/// the token printed at start, in the link (once) and then in a cookie.
/// </summary>
sealed class ViewerAccess
{
    const string CookieName = "sqlite-logs-token";

    readonly byte[]? _token;

    ViewerAccess(string? token)
    {
        Token = token;
        _token = token == null ? null : Encoding.ASCII.GetBytes(token);
    }

    public string? Token { get; }

    /// <summary>What the printed link adds to the address.</summary>
    public string Query => Token == null ? "" : "?token=" + Token;

    public static ViewerAccess Loopback() => new(null);

    public static ViewerAccess WithToken(string token) => new(token);

    public async Task Check(HttpContext context, RequestDelegate next)
    {
        if (_token == null)
        {
            if (!IsLoopbackHost(context.Request.Host.Host))
            {
                await Refuse(context, StatusCodes.Status421MisdirectedRequest,
                    "This view answers only requests addressed to this machine (127.0.0.1, [::1] or localhost).").ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
            return;
        }

        if (Matches(context.Request.Query["token"].LastOrDefault()))
        {
            // The link's token becomes a cookie, so that the page's own requests carry it and the address bar does not.
            context.Response.Cookies.Append(CookieName, Token!, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path == "/")
            {
                context.Response.Redirect(context.Request.PathBase + "/");
                return;
            }

            await next(context).ConfigureAwait(false);
            return;
        }

        if (Matches(context.Request.Cookies[CookieName]))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        await Refuse(context, StatusCodes.Status401Unauthorized,
            "This view needs the token that sqlite-logs serve printed when it started: open the link it printed.").ConfigureAwait(false);
    }

    bool Matches(string? given) =>
        given != null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given), _token);

    static bool IsLoopbackHost(string host) =>
        host is "localhost" or "127.0.0.1" or "[::1]" or "::1" ||
        (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

    static async Task Refuse(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message, context.RequestAborted).ConfigureAwait(false);
    }
}
