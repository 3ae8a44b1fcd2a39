using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker.Viewer;

/// <summary>
/// The viewer's endpoints, relative to the group they are mapped into: the page and its two assets, the events as JSON,
/// one event's detail, the live stream (server-sent events), and the charts as SVG images.
/// </summary>
/// <remarks>
/// Events and charts are asked on two connections of their own, so that a chart over a large file never holds up the
/// list, which the helper answers from its indexes at once.
/// </remarks>
sealed class ViewerEndpoints(ViewerDatabase database, ViewerDatabase charts, SqliteWorkerViewerOptions options, CancellationToken stopping)
{
    const string JsonType = "application/json; charset=utf-8";

    readonly TimeFormat _time = new(utc: !options.UseLocalTime);
    int _liveViews;

    public void MapTo(IEndpointRouteBuilder group)
    {
        group.MapGet("/", Page);
        group.MapGet("/viewer.js", context => ViewerPage.Asset(context, ViewerPage.Script, "text/javascript; charset=utf-8"));
        group.MapGet("/viewer.css", context => ViewerPage.Asset(context, ViewerPage.Style, "text/css; charset=utf-8"));
        group.MapGet("/api/logs", Logs);
        group.MapGet("/api/logs/{id:long}", Detail);
        group.MapGet("/api/live", Live);
        group.MapGet("/api/metrics", Metrics);
        group.MapGet("/api/charts/levels.svg", LevelChart);
        group.MapGet("/api/charts/metric.svg", MetricChart);
    }

    Task Page(HttpContext context)
    {
        // The page's addresses are relative to it, so that it works wherever the group is mapped.
        if (!context.Request.Path.Value!.EndsWith('/'))
        {
            context.Response.Redirect(context.Request.PathBase + context.Request.Path + "/" + context.Request.QueryString);
            return Task.CompletedTask;
        }

        return ViewerPage.Html(context, Path.GetFileName(database.DatabasePath), options.UseLocalTime ? "in the server's local time" : "in UTC");
    }

    Task Logs(HttpContext context) => Answer(context, async aborted =>
    {
        var filter = Filter(context);
        var after = Before(context.Request.Query);
        var limit = Limit(context.Request.Query);
        var rows = await database.RunAsync((db, token) => db.GetLogs(filter, limit, ResultOrder.NewestFirst, after, token), aborted).ConfigureAwait(false);
        return ViewerJson.Page(rows, limit, _time);
    });

    Task Detail(HttpContext context, long id) => Answer(context, async aborted =>
    {
        var row = await database.RunAsync((db, token) => db.GetLog(id, token), aborted).ConfigureAwait(false);
        return row == null
            ? throw new ViewerException(StatusCodes.Status404NotFound, $"There is no event {id}; it may have been pruned.")
            : ViewerJson.Detail(row, _time);
    });

    Task Metrics(HttpContext context) => Answer(context, async aborted =>
    {
        var filter = ViewerFilter.Metrics(Filter(context), null);
        var names = await charts.RunAsync((db, token) => db.CountByMetricName(filter, token), aborted).ConfigureAwait(false);
        return ViewerJson.Metrics(names.Take(options.MaxCharts).ToList());
    });

    /// <summary>
    /// The newest page, then every new matching event as it is committed, as server-sent events. The tail starts
    /// before the page is read, so nothing committed in between is missed (an event in both is shown once). A browser
    /// that reconnects sends the last id it saw and gets only what came after it.
    /// </summary>
    async Task Live(HttpContext context)
    {
        if (Interlocked.Increment(ref _liveViews) > options.MaxLiveViews)
        {
            Interlocked.Decrement(ref _liveViews);
            await Error(context, StatusCodes.Status503ServiceUnavailable,
                $"{options.MaxLiveViews} live views are open already; close one, or raise MaxLiveViews.").ConfigureAwait(false);
            return;
        }

        // A live view ends when its browser goes, or when the app stops: it would otherwise hold the shutdown up.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            var aborted = ending.Token;
            LogFilter filter;
            long? resumeAfter = null;
            IAsyncEnumerable<LogRecord> tail;
            byte[]? page = null;
            try
            {
                filter = Filter(context);
                // A reconnecting browser says where it was; a page resuming after a pause says so in its address.
                var last = context.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header : context.Request.Query["after"].LastOrDefault();
                if (long.TryParse(last, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var lastId))
                    resumeAfter = lastId;
                tail = await database.TailAsync(resumeAfter, filter, aborted).ConfigureAwait(false);
                if (resumeAfter == null)
                {
                    var rows = await database.RunAsync((db, token) => db.GetLogs(filter, options.PageSize, ResultOrder.NewestFirst, null, token), aborted)
                        .ConfigureAwait(false);
                    page = ViewerJson.Page(rows, options.PageSize, _time);
                }
            }
            catch (ViewerException ex)
            {
                await Error(context, ex.StatusCode, ex.Message).ConfigureAwait(false);
                return;
            }

            var response = context.Response;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            // A reverse proxy that buffers answers would hold the events back until the stream ends.
            response.Headers["X-Accel-Buffering"] = "no";
            ViewerPage.SecurityHeaders(response);
            await Send(response, "retry: 2000\n\n", aborted).ConfigureAwait(false);
            if (page != null)
                await Send(response, $"event: page\ndata: {Encoding.UTF8.GetString(page)}\n\n", aborted).ConfigureAwait(false);

            try
            {
                await foreach (var row in tail.ConfigureAwait(false))
                    await Send(response, $"id: {row.Id}\nevent: log\ndata: {Encoding.UTF8.GetString(ViewerJson.Row(row, _time))}\n\n", aborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // The browser went away, or the server is stopping: the stream ends here.
            }
        }
        finally
        {
            Interlocked.Decrement(ref _liveViews);
        }
    }

    Task LevelChart(HttpContext context) => Svg(context, async aborted =>
    {
        var filter = Filter(context);
        var (counts, bucketSize) = await charts.RunAsync((db, token) =>
        {
            var bucketSize = BucketSize(db.GetLogs(filter, 1, ResultOrder.OldestFirst, null, token), db.GetLogs(filter, 1, ResultOrder.NewestFirst, null, token),
                r => r.Timestamp);
            return (db.CountByLevelPerBucket(filter, bucketSize, token), bucketSize);
        }, aborted).ConfigureAwait(false);
        return SvgChart.StackedBars(counts, bucketSize, _time, 200);
    });

    Task MetricChart(HttpContext context) => Svg(context, async aborted =>
    {
        var name = context.Request.Query["name"].LastOrDefault() is { Length: > 0 } text
            ? text
            : throw new ViewerException(StatusCodes.Status400BadRequest, "Say which metric to draw, as ?name=response_time.");
        var filter = ViewerFilter.Metrics(Filter(context), name);
        var (series, bucketSize) = await charts.RunAsync((db, token) =>
        {
            var size = BucketSize(
                db.GetMetrics(filter, 1, ResultOrder.OldestFirst, cancellationToken: token),
                db.GetMetrics(filter, 1, ResultOrder.NewestFirst, cancellationToken: token),
                r => r.Timestamp);
            return (new MetricSeries(name, db.SummarizeMetric(filter, token), db.SummarizeMetricPerBucket(filter, size, token)), size);
        }, aborted).ConfigureAwait(false);
        return SvgChart.Lines(series, bucketSize, _time);
    });

    static MetricBucketSize BucketSize<T>(IReadOnlyList<T> first, IReadOnlyList<T> last, Func<T, DateTimeOffset> timestamp) =>
        SvgChart.ChooseBucketSize(first.Count == 0 || last.Count == 0 ? TimeSpan.Zero : timestamp(last[0]) - timestamp(first[0]));

    LogFilter Filter(HttpContext context) => ViewerFilter.Parse(context.Request.Query, DateTimeOffset.UtcNow, utc: !options.UseLocalTime);

    int Limit(IQueryCollection query) =>
        query["limit"].LastOrDefault() is { Length: > 0 } text && int.TryParse(text, out var limit) && limit >= 1
            ? Math.Min(limit, options.PageSize)
            : options.PageSize;

    /// <summary>The next page of older events: <c>before=TIMESTAMP_ID</c>, from the last row of the page before.</summary>
    static RowPosition? Before(IQueryCollection query)
    {
        if (query["beforeId"].LastOrDefault() is not { Length: > 0 } id)
            return null;
        if (long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var rowId) &&
            DateTimeOffset.TryParse(query["beforeTime"].LastOrDefault(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.RoundtripKind, out var time))
            return new RowPosition(time, rowId);
        throw new ViewerException(StatusCodes.Status400BadRequest, "beforeId and beforeTime must come from the last row of the page before.");
    }

    static async Task Answer(HttpContext context, Func<CancellationToken, Task<byte[]>> answer)
    {
        byte[] body;
        try
        {
            body = await answer(context.RequestAborted).ConfigureAwait(false);
        }
        catch (ViewerException ex)
        {
            await Error(context, ex.StatusCode, ex.Message).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = JsonType;
        context.Response.Headers.CacheControl = "no-store";
        ViewerPage.SecurityHeaders(context.Response);
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    static async Task Svg(HttpContext context, Func<CancellationToken, Task<string>> draw)
    {
        string svg;
        try
        {
            svg = await draw(context.RequestAborted).ConfigureAwait(false);
        }
        catch (ViewerException ex)
        {
            await Error(context, ex.StatusCode, ex.Message).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "image/svg+xml; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        ViewerPage.SecurityHeaders(context.Response, ViewerPage.ImagePolicy);
        await context.Response.WriteAsync(SvgChart.Standalone(svg), context.RequestAborted).ConfigureAwait(false);
    }

    static async Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonType;
        context.Response.Headers.CacheControl = "no-store";
        ViewerPage.SecurityHeaders(context.Response);
        await context.Response.Body.WriteAsync(ViewerJson.Error(message), context.RequestAborted).ConfigureAwait(false);
    }

    static async Task Send(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
