namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>
/// Every logging thread renders into buffers of its own, reused event after event; one large event must not leave every
/// such thread holding its room for good.
/// </summary>
public class GuardedRenderingTests
{
    [Test]
    public void AReusedBufferGivesBackTheRoomALargeEventMadeItTake()
    {
        var buffer = new StringWriter();
        buffer.Write(new string('x', 10_000_000));

        GuardedRendering.Reset(buffer);

        buffer.ToString().Should().BeEmpty();
        buffer.GetStringBuilder().Capacity.Should().BeLessThanOrEqualTo(16 * 1024);
    }

    [Test]
    public void AReusedBufferKeepsTheRoomOfOrdinaryEvents()
    {
        var buffer = new StringWriter();
        buffer.Write(new string('x', 4_000));
        var capacity = buffer.GetStringBuilder().Capacity;

        GuardedRendering.Reset(buffer);

        buffer.ToString().Should().BeEmpty();
        buffer.GetStringBuilder().Capacity.Should().Be(capacity, "an ordinary event's room is reused, not allocated again");
    }
}
