using System.Text;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

/// <summary>A console stream captured in memory, safe to read while a following tail writes to it.</summary>
sealed class CapturedWriter : TextWriter
{
    readonly StringBuilder _text = new();
    readonly Lock _gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_gate)
                return _text.ToString();
        }
    }

    public string[] Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public override void Write(char value)
    {
        lock (_gate)
            _text.Append(value);
    }

    public override void Write(string? value)
    {
        lock (_gate)
            _text.Append(value);
    }
}
