using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Serilog.Sinks.SqliteWorker.Viewer.Tests.Support;

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c> package) driven over its DevTools protocol, to use the page as a person
/// would: load it, type, press keys, wait for what appears, take a screenshot, and notice any dialog or script error.
/// Tests that use it carry <c>[Category(Needs.Chromium)]</c>; where Chromium is missing they are skipped, or fail in CI.
/// </summary>
sealed partial class Browser : IAsyncDisposable
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    readonly Process _process;
    readonly string _profile;
    readonly ClientWebSocket _socket = new();
    readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _pending = new();
    readonly ConcurrentQueue<string> _dialogs = new();
    readonly ConcurrentQueue<string> _problems = new();
    readonly CancellationTokenSource _closing = new();
    readonly SemaphoreSlim _sending = new(1, 1);
    Task? _reader;
    volatile TaskCompletionSource? _loaded;
    int _nextId;

    Browser(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Dialogs the page opened (alert, confirm, prompt), each dismissed at once.</summary>
    public IReadOnlyCollection<string> Dialogs => _dialogs;

    /// <summary>Uncaught script errors, console errors and Content-Security-Policy violations.</summary>
    public IReadOnlyCollection<string> Problems => _problems;

    /// <summary>Starts <paramref name="executable"/>, a Chromium, headless, with a page of the given size.</summary>
    public static async Task<Browser> LaunchAsync(string executable, int width = 1366, int height = 860)
    {
        var profile = Path.Combine(Path.GetTempPath(), "sqliteworker-viewer-chromium", Guid.NewGuid().ToString("n"));
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--hide-scrollbars", "--remote-debugging-port=0", "--remote-allow-origins=*",
                     $"--user-data-dir={profile}", $"--window-size={width},{height}", "about:blank",
                 })
            start.ArgumentList.Add(argument);

        var process = Process.Start(start)!;
        var browser = new Browser(process, profile);
        try
        {
            _ = process.StandardOutput.ReadToEndAsync();
            var port = await DevToolsPort(process);
            using var http = new HttpClient();
            using var timeout = new CancellationTokenSource(Patience);
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list", timeout.Token))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            await browser._socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), timeout.Token);
            browser._reader = Task.Run(browser.ReadAsync);
            await browser.SendAsync("Page.enable");
            await browser.SendAsync("Runtime.enable");
            await browser.SendAsync("Log.enable");
            await browser.SendAsync("Emulation.setDeviceMetricsOverride",
                new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> and waits until it has loaded.</summary>
    public async Task OpenAsync(string url)
    {
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loaded = loaded;
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        await loaded.Task.WaitAsync(Patience);
    }

    /// <summary>The value of a script expression (awaited if it is a promise), as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate",
            new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result?["exceptionDetails"] is { } error)
            throw new InvalidOperationException($"The page's script failed: {error.ToJsonString()}");
        return result?["result"]?["value"];
    }

    public async Task<T> EvaluateAsync<T>(string expression) => (await EvaluateAsync(expression))!.GetValue<T>();

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, checking it whenever the page's DOM changes; false when it still
    /// does not after <paramref name="timeout"/> (30 s by default).
    /// </summary>
    public async Task<bool> WaitForAsync(string condition, TimeSpan? timeout = null)
    {
        var milliseconds = (int)(timeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds;
        return await EvaluateAsync<bool>($$"""
            new Promise(resolve => {
              const holds = () => { try { return !!({{condition}}); } catch { return false; } };
              if (holds()) { resolve(true); return; }
              const observer = new MutationObserver(() => { if (holds()) { observer.disconnect(); clearTimeout(timer); resolve(true); } });
              observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
              // An image that finishes loading changes no markup; its load event, caught on the way down, says so.
              const loaded = () => { if (holds()) { observer.disconnect(); document.removeEventListener('load', loaded, true); clearTimeout(timer); resolve(true); } };
              document.addEventListener('load', loaded, true);
              const timer = setTimeout(() => { observer.disconnect(); document.removeEventListener('load', loaded, true); resolve(holds()); }, {{milliseconds}});
            })
            """);
    }

    /// <summary>Presses one key as the keyboard would, such as <c>j</c>, <c>Enter</c> or <c>Escape</c>.</summary>
    public async Task PressAsync(string key)
    {
        var text = key.Length == 1 ? key : key == "Enter" ? "\r" : null;
        var code = key switch { "Enter" => 13, "Escape" => 27, "ArrowDown" => 40, "ArrowUp" => 38, _ => char.ToUpperInvariant(key[0]) };
        var down = new JsonObject { ["type"] = text == null ? "rawKeyDown" : "keyDown", ["key"] = key, ["windowsVirtualKeyCode"] = code };
        if (text != null)
            down["text"] = text;
        await SendAsync("Input.dispatchKeyEvent", down);
        await SendAsync("Input.dispatchKeyEvent", new JsonObject { ["type"] = "keyUp", ["key"] = key, ["windowsVirtualKeyCode"] = code });
    }

    /// <summary>Saves what the page shows as a PNG file.</summary>
    public async Task ScreenshotAsync(string path)
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        await File.WriteAllBytesAsync(path, Convert.FromBase64String((string)result!["data"]!));
    }

    public async Task<JsonNode?> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, _closing.Token);
        }
        finally
        {
            _sending.Release();
        }

        return await answer.Task.WaitAsync(Patience);
    }

    async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                    break;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                    continue;
                var node = JsonNode.Parse(message.ToArray());
                message.SetLength(0);
                Handle(node!);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The browser is closing.
        }

        foreach (var pending in _pending.Values)
            pending.TrySetException(new InvalidOperationException("Chromium closed its DevTools connection."));
    }

    void Handle(JsonNode message)
    {
        if (message["id"] is { } id && _pending.TryRemove(id.GetValue<int>(), out var answer))
        {
            if (message["error"] is { } error)
                answer.TrySetException(new InvalidOperationException($"DevTools refused a command: {error.ToJsonString()}"));
            else
                answer.TrySetResult(message["result"]);
            return;
        }

        switch ((string?)message["method"])
        {
            case "Page.loadEventFired":
                _loaded?.TrySetResult();
                break;
            case "Page.javascriptDialogOpening":
                _dialogs.Enqueue((string?)message["params"]?["message"] ?? "");
                _ = SendAsync("Page.handleJavaScriptDialog", new JsonObject { ["accept"] = false });
                break;
            case "Runtime.exceptionThrown":
                _problems.Enqueue("exception: " + message["params"]?["exceptionDetails"]?.ToJsonString());
                break;
            case "Runtime.consoleAPICalled" when Text(message["params"]?["type"]) == "error":
                _problems.Enqueue("console: " + message["params"]?["args"]?.ToJsonString());
                break;
            case "Log.entryAdded" when Text(message["params"]?["entry"]?["level"]) == "error":
                _problems.Enqueue($"log: {message["params"]?["entry"]?["text"]} ({message["params"]?["entry"]?["url"]})");
                break;
        }
    }

    static string? Text(JsonNode? node) => node?.GetValue<string>();

    static async Task<int> DevToolsPort(Process process)
    {
        using var timeout = new CancellationTokenSource(Patience);
        const string Marker = "DevTools listening on ws://127.0.0.1:";
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            var at = line.IndexOf(Marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                var rest = line[(at + Marker.Length)..];
                _ = process.StandardError.ReadToEndAsync();
                return int.Parse(rest[..rest.IndexOf('/', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("Chromium ended without opening its DevTools port.");
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        if (_reader != null)
            await _reader;
        _socket.Dispose();
        _process.Dispose();
        _closing.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium's helpers may still be closing files; the temp folder is cleaned eventually.
        }
    }
}
