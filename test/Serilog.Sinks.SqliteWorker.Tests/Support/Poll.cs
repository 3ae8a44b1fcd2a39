namespace Serilog.Sinks.SqliteWorker.Tests.Support;

static class Poll
{
    /// <summary>Waits for something the sink's writer does in the background; fails the test after 30 s.</summary>
    public static void Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should hold within 30 s");
            Thread.Sleep(20);
        }
    }
}
