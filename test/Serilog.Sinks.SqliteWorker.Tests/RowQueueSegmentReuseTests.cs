using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>
/// The queue's segments: released ones of the standard size are kept and filled again, so that a steady flow of rows
/// allocates no new ones; one made for a row larger than a segment is not kept; a large first row is taken once.
/// </summary>
public class RowQueueSegmentReuseTests
{
    const int LogColumns = 10;
    // About 1,000 characters of text a row: a segment holds a few dozen, so 200 rows span several.
    static readonly string Padding = new('x', 900);

    [Test]
    public void SegmentsReleasedAreFilledAgainRatherThanNewOnesMade()
    {
        using var queue = new RowQueue(null, [], LogColumns);
        var first = AddTakeAndRelease(queue, 200, "first");
        first.Should().HaveCountGreaterThan(3, "the rows span several segments");

        var second = AddTakeAndRelease(queue, 200, "second");

        second.Should().HaveCount(first.Count).And.OnlyContain(s => first.Contains(s), "every segment of the second round was one of the first's");
    }

    [Test]
    public void ASegmentMadeForALargeRowIsNotFilledAgain()
    {
        using var queue = new RowQueue(null, [], LogColumns);
        queue.Add(Some.LogEvent("Before"));
        queue.Add(Some.LogEvent("Large", exception: new InvalidOperationException(new string('e', 3 * RowSegment.TextCapacity))));
        queue.Add(Some.LogEvent("After"));
        var batch = new RowBatch();
        queue.Take(10, batch);
        var large = batch.Rows().Select(r => r.Segment).Single(s => !s.IsStandardSize);
        queue.Release(batch);

        var later = AddTakeAndRelease(queue, 200, "later");

        later.Should().NotContain(large, "a segment larger than the standard size goes back to the collector");
        later.Should().OnlyContain(s => s.IsStandardSize);
    }

    [Test]
    public void AnEmptySegmentALargeRowTakesThePlaceOfIsFilledAgainLater()
    {
        using var queue = new RowQueue(null, [], LogColumns);
        var empty = AddTakeAndRelease(queue, 1, "first").Single();
        queue.Add(Some.LogEvent("Large", exception: new InvalidOperationException(new string('e', 3 * RowSegment.TextCapacity))));
        var batch = new RowBatch();
        queue.Take(10, batch);
        batch.Rows().Select(r => r.Segment).Should().NotContain(empty);
        queue.Release(batch);

        var later = AddTakeAndRelease(queue, 200, "later");

        later.Should().Contain(empty, "the emptied segment was kept for reuse when the large row replaced it");
    }

    [Test]
    public void ALargeRowInAnEmptyQueueIsTakenOnceAndRowsAfterItFollowIt()
    {
        using var queue = new RowQueue(null, [], LogColumns);
        queue.Add(Some.LogEvent("Large", exception: new InvalidOperationException(new string('e', 3 * RowSegment.TextCapacity))));
        var batch = new RowBatch();

        queue.Take(10, batch);
        batch.Rows().Select(r => Message(r.Segment, r.Row)).Should().Equal("Large");

        queue.Add(Some.LogEvent("After"));
        queue.Take(10, batch);
        batch.Rows().Select(r => Message(r.Segment, r.Row)).Should().Equal("Large", "After");
        queue.Release(batch);
        queue.Count.Should().Be(0);
        queue.Add(Some.LogEvent("Next"));
        queue.Take(10, batch);
        batch.Rows().Select(r => Message(r.Segment, r.Row)).Should().Equal("Next");
    }

    /// <summary>Adds <paramref name="rows"/> rows, takes and releases them all, and returns the segments they were in.</summary>
    static List<RowSegment> AddTakeAndRelease(RowQueue queue, int rows, string round)
    {
        for (var i = 0; i < rows; i++)
            queue.Add(Some.LogEvent("{Round} {Index} {Padding}", properties: [Some.Property("Round", round), Some.Property("Index", i), Some.Property("Padding", Padding)]));

        var segments = new List<RowSegment>();
        var batch = new RowBatch();
        var taken = 0;
        while (queue.Count > 0)
        {
            queue.Take(50, batch);
            foreach (var (segment, row) in batch.Rows())
            {
                Message(segment, row).Should().Be($"\"{round}\" {taken++} \"{Padding}\"");
                if (!segments.Contains(segment))
                    segments.Add(segment);
            }

            queue.Release(batch);
        }

        taken.Should().Be(rows);
        return segments;
    }

    static string Message(RowSegment segment, int row)
    {
        var values = new object[LogColumns];
        segment.CopyTo(row, values);
        return (string)values[3];
    }
}
