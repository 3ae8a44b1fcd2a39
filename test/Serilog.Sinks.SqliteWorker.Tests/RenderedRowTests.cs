namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>A row as a logging thread renders it: text columns in one reused buffer, in column order.</summary>
public class RenderedRowTests
{
    [Test]
    public void TextFromABuilderOfManyChunksIsCopiedWholeAndInColumnOrder()
    {
        var row = new RenderedRow(3);
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < 5_000; i++)
            builder.Append(i % 10);

        row.SetText(0, "first");
        row.SetValue(1, 42L);
        row.SetText(2, builder);

        row.Text.ToString().Should().Be("first" + builder);
        (row.TextLengthOf(0), row.TextLengthOf(1), row.TextLengthOf(2)).Should().Be((5, -1, 5_000));
        row.Value(1).Should().Be(42L);
        row.Value(0).Should().BeNull();
    }

    [Test]
    public void TheBufferGivesBackTheRoomALargeEventMadeItTake()
    {
        var row = new RenderedRow(1);
        row.SetText(0, new string('x', 1_000_000));

        row.Clear();

        row.TextLength.Should().Be(0);
        row.TextCapacity.Should().BeLessThanOrEqualTo(16 * 1024);
    }
}
