using System.Text.Json;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;
using Serilog.Sinks.SqliteWorker.Viewer.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Viewer.Tests;

/// <summary>
/// The viewer's page in headless Chromium, served by an app that maps it, over a file the sink writes while the page is
/// open: what a person sees, types and clicks.
/// </summary>
[Category(Needs.Chromium)]
public sealed class PageTests
{
    const string Rows = "Array.from(document.querySelectorAll('#events tbody tr'))";

    readonly TempFolder _folder = new();
    string _path = "";
    Logger? _live;
    ViewerHost? _host;
    Browser? _browser;
    int _problemsBefore;

    Browser Chromium => _browser!;

    Logger Live => _live!;

    [OneTimeSetUp]
    public async Task ServeAFileAndStartChromium()
    {
        _browser = await Browser.StartAsync();
        _path = _folder.File("viewer.db");
        SampleEvents.Write(_path);
        _live = SinkDatabase.CreateLogger(_path);
        _host = await ViewerHost.StartAsync(_path, options => options.AllowAnonymous = true);
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        if (_browser != null)
            await _browser.DisposeAsync();
        if (_host != null)
            await _host.DisposeAsync();
        _live?.Dispose();
        _folder.Dispose();
    }

    [SetUp]
    public void CountProblems() => _problemsBefore = Chromium.Problems.Count;

    [TearDown]
    public void NoDialogOpenedAndNoScriptFailed()
    {
        Chromium.Dialogs.Should().BeEmpty("no script from a logged value may run");
        // The browser asks for /favicon.ico on its own; the viewer has none.
        Chromium.Problems.Skip(_problemsBefore).Where(p => !p.Contains("favicon", StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Test]
    public async Task ThePageShowsTheFilesEvents()
    {
        var expected = Newest(null);
        await Chromium.OpenAsync(_host!.Page.ToString());

        await Chromium.WaitForAsync($"JSON.stringify({Rows}.map(r => Number(r.dataset.id))) === {Json(Json(expected.Select(r => r.Id)))}");
        (await Ids()).Should().Equal(expected.Select(r => r.Id), "the page should list the newest events, newest first");
        (await Chromium.EvaluateAsync<string>($"{Rows}[0].querySelector('td.m').textContent")).Should().Be(expected[0].Message);
        (await Chromium.EvaluateAsync<string>($"{Rows}[0].querySelector('.badge').title")).Should().Be(expected[0].Level.ToString());
    }

    [Test]
    public async Task ANewlyLoggedEventAppearsWithoutAReload()
    {
        await Chromium.OpenAsync(_host!.Page.ToString());
        (await Chromium.WaitForAsync($"{Rows}.length > 0 && document.getElementById('status').textContent === 'live'")).Should().BeTrue();
        await Chromium.EvaluateAsync("window.sameDocument = 'yes'");

        var message = $"Payment {Guid.NewGuid():n} settled";
        Live.Warning(message);

        (await Chromium.WaitForAsync($"{Rows}.length > 0 && {Rows}[0].querySelector('td.m').textContent === {Json(message)}"))
            .Should().BeTrue("the new event should arrive at the top of the list");
        (await Chromium.EvaluateAsync<string>("window.sameDocument")).Should().Be("yes", "the page should not have reloaded");
        (await Chromium.EvaluateAsync<int>($"{Rows}.filter(r => r.querySelector('td.m').textContent === {Json(message)}).length")).Should().Be(1);
    }

    [Test]
    public async Task FiltersNarrowTheListAndTheUrlRestoresThem()
    {
        var filter = new LogFilter { MinimumLevel = LogEventLevel.Warning, SourceContext = "Shop.Orders" };
        var expected = Json(Newest(filter).Select(r => r.Id));
        Newest(filter).Should().NotBeEmpty().And.HaveCountLessThan(Newest(null).Count);
        await Chromium.OpenAsync(_host!.Page.ToString());
        (await Chromium.WaitForAsync($"{Rows}.length > 0")).Should().BeTrue();

        await Chromium.EvaluateAsync("""
            (() => {
              const form = document.getElementById('filters');
              form.elements.namedItem('source').value = 'Shop.Orders';
              form.elements.namedItem('min').value = 'Warning';
              form.requestSubmit();
            })()
            """);

        var ids = $"JSON.stringify({Rows}.map(r => Number(r.dataset.id)))";
        await Chromium.WaitForAsync($"{ids} === {Json(expected)}");
        Json(await Ids()).Should().Be(expected, "the list should hold only the matching events");
        var address = await Chromium.EvaluateAsync<string>("location.href");
        address.Should().Contain("min=Warning").And.Contain("source=Shop.Orders");

        await Chromium.EvaluateAsync("window.sameDocument = 'yes'");
        await Chromium.OpenAsync(address);
        (await Chromium.EvaluateAsync<bool>("window.sameDocument === undefined")).Should().BeTrue("the page should have loaded anew");
        await Chromium.WaitForAsync($"{ids} === {Json(expected)}");
        Json(await Ids()).Should().Be(expected, "the address alone should restore the filtered view ({0}, {1})",
            await Chromium.EvaluateAsync<string>("document.getElementById('status').textContent + ' ' + document.getElementById('error').textContent"), address);
        (await Chromium.EvaluateAsync<string>("document.getElementById('filters').elements.namedItem('min').value")).Should().Be("Warning");
        (await Chromium.EvaluateAsync<string>("document.getElementById('filters').elements.namedItem('source').value")).Should().Be("Shop.Orders");
    }

    [Test]
    public async Task MarkupInALoggedValueShowsAsTextAndRunsNothing()
    {
        const string Markup = "<img src=x onerror=alert(1)>";
        var message = "Rejected " + Markup;
        Live.ForContext("SourceContext", "<script>alert(2)</script>").ForContext("Html", Markup).Error(message);

        await Chromium.OpenAsync(_host!.Page.ToString());
        var row = $"{Rows}.find(r => r.querySelector('td.m').textContent === {Json(message)})";
        (await Chromium.WaitForAsync($"{row} !== undefined")).Should().BeTrue("the message should be shown as the text it is");
        await Chromium.EvaluateAsync($"{row}.click()");
        (await Chromium.WaitForAsync($"document.querySelector('#columns dd[data-column=\"Message\"]')?.textContent === {Json(message)}"))
            .Should().BeTrue("the detail should show the message as text");

        (await Chromium.EvaluateAsync<int>("document.querySelectorAll('img:not(#levels-chart):not(#metric-charts img), script:not([src])').length"))
            .Should().Be(0, "no element may come from a logged value");
        (await Chromium.EvaluateAsync<string>($"{row}.querySelector('td.s').textContent")).Should().Be("<script>alert(2)</script>");
        (await Chromium.EvaluateAsync<string>("document.getElementById('properties').textContent")).Should().Contain(Markup);
    }

    [Test]
    public async Task TheDetailShowsEveryColumnThePropertiesAndTheException()
    {
        using var db = SqliteWorkerDatabase.Open(_path);
        var error = db.GetLogs(new LogFilter { Level = LogEventLevel.Error, TraceId = SampleEvents.TraceId.ToHexString() }, 1).Single();

        await Chromium.OpenAsync(_host!.Page + "?level=Error");
        var row = $"{Rows}.find(r => r.dataset.id === '{error.Id}')";
        (await Chromium.WaitForAsync($"{row} !== undefined")).Should().BeTrue();
        await Chromium.EvaluateAsync($"{row}.click()");
        (await Chromium.WaitForAsync($"document.querySelector('#columns dd[data-column=\"Id\"]')?.textContent === '{error.Id}'")).Should().BeTrue();

        var columns = (await Chromium.EvaluateAsync(
            "Object.fromEntries(Array.from(document.querySelectorAll('#columns dd')).map(d => [d.dataset.column, d.textContent]))"))!.AsObject();
        ((string?)columns["Message"]).Should().Be(error.Message);
        ((string?)columns["Template"]).Should().Be(error.MessageTemplate);
        ((string?)columns["Level"]).Should().Be("Error");
        ((string?)columns["Source context"]).Should().Be(error.SourceContext);
        ((string?)columns["Trace id"]).Should().Be(error.TraceId);
        ((string?)columns["Span id"]).Should().Be(error.SpanId).And.HaveLength(16);
        (await Chromium.EvaluateAsync<string>("document.getElementById('exception').textContent")).Should().Be(error.Exception);
        var tree = await Chromium.EvaluateAsync<string>("document.getElementById('properties').innerText");
        tree.Should().Contain($"OrderId: {error.Properties.GetProperty("OrderId").GetInt32()}")
            .And.Contain($"Customer: \"{error.Properties.GetProperty("Customer").GetString()}\"");
    }

    [Test]
    public async Task TheKeyboardMovesOpensAndCloses()
    {
        await Chromium.OpenAsync(_host!.Page.ToString());
        (await Chromium.WaitForAsync($"{Rows}.length > 2")).Should().BeTrue();
        var second = await Chromium.EvaluateAsync<string>($"{Rows}[1].dataset.id");

        await Chromium.PressAsync("j");
        await Chromium.PressAsync("j");
        await Chromium.PressAsync("Enter");
        (await Chromium.WaitForAsync($"document.querySelector('#columns dd[data-column=\"Id\"]')?.textContent === '{second}' && !document.getElementById('detail').hidden"))
            .Should().BeTrue("j twice selects the second event and Enter opens it");
        (await Chromium.EvaluateAsync<string>("document.querySelector('tr.selected').dataset.id")).Should().Be(second);

        await Chromium.PressAsync("Escape");
        (await Chromium.WaitForAsync("document.getElementById('detail').hidden")).Should().BeTrue("Escape closes the detail");
        await Chromium.PressAsync("/");
        (await Chromium.EvaluateAsync<string>("document.activeElement.name")).Should().Be("q", "/ goes to the text filter");
    }

    [Test]
    public async Task PauseHoldsNewEventsAndResumeBringsThem()
    {
        await Chromium.OpenAsync(_host!.Page.ToString());
        (await Chromium.WaitForAsync("document.getElementById('status').textContent === 'live'")).Should().BeTrue();
        await Chromium.PressAsync("p");
        (await Chromium.WaitForAsync("document.getElementById('status').textContent === 'paused'")).Should().BeTrue();

        var message = $"Held {Guid.NewGuid():n}";
        Live.Information(message);
        using (var db = SqliteWorkerDatabase.Open(_path))
        {
            await foreach (var _ in db.TailLogsAsync(0, new LogFilter { MessageContains = message }, TimeSpan.FromMilliseconds(50))
                               .WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
                break;
        }

        var shown = $"{Rows}.filter(r => r.querySelector('td.m').textContent === {Json(message)}).length";
        (await Chromium.EvaluateAsync<int>(shown)).Should().Be(0, "a paused view takes nothing new");
        await Chromium.PressAsync("p");
        (await Chromium.WaitForAsync($"{shown} === 1")).Should().BeTrue("resuming brings what arrived while paused");
    }

    [Test]
    public async Task ItTakesAScreenshotOfTheViewWithAnEventOpen()
    {
        await Chromium.OpenAsync(_host!.Page + "?min=Debug");
        var chartsDrawn = "Array.from(document.querySelectorAll('#charts img')).every(i => i.complete && i.naturalWidth > 0) && " +
                          "document.querySelectorAll('#metric-charts img').length === 2";
        (await Chromium.WaitForAsync($"{Rows}.length > 20 && {chartsDrawn}")).Should().BeTrue("the list and every chart should load");
        await Chromium.EvaluateAsync($"{Rows}.find(r => r.classList.contains('lvl-Error')).click()");
        (await Chromium.WaitForAsync("!document.getElementById('detail').hidden && document.getElementById('exception').textContent.length > 0")).Should().BeTrue();

        var screenshot = _folder.File("sqlite-logs-serve.png");
        await Chromium.ScreenshotAsync(screenshot);
        var png = await File.ReadAllBytesAsync(screenshot);
        png.Take(8).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A);
        png.Length.Should().BeGreaterThan(40_000, "a blank page compresses to much less");
        var kept = Path.Combine(TestContext.CurrentContext.WorkDirectory, "sqlite-logs-serve.png");
        File.Copy(screenshot, kept, overwrite: true);
        TestContext.AddTestAttachment(kept, "The live view as Chromium draws it");
    }

    IReadOnlyList<LogRecord> Newest(LogFilter? filter)
    {
        using var db = SqliteWorkerDatabase.Open(_path);
        return db.GetLogs(filter, SqliteWorkerViewerOptions.DefaultPageSize);
    }

    async Task<long[]> Ids() => (await Chromium.EvaluateAsync($"{Rows}.map(r => Number(r.dataset.id))"))!.AsArray().Select(n => n!.GetValue<long>()).ToArray();

    static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
