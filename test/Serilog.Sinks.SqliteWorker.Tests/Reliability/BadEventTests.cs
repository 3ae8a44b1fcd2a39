using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>Events that are awkward to store: each is stored or reported, and nothing crashes or blocks the rest.</summary>
public class BadEventTests
{
    [Test]
    public void ATenMegabyteMessageIsStoredWhole()
    {
        var big = new string('m', 10 * 1024 * 1024);
        var (path, failures, folder) = Log(l => l.Information("{Big}", big));
        using (folder)
        {
            failures.Should().BeEmpty();
            Database.Scalar(path, "SELECT length(message) FROM logs").Should().Be(big.Length + 2L, "a string renders in quotes");
        }
    }

    [Test]
    public void DeeplyNestedObjectsAreStoredToTheDestructuringDepthAndAsBuilt()
    {
        object nested = "bottom";
        for (var i = 0; i < 200; i++)
            nested = new { Inner = nested };
        var built = (LogEventPropertyValue)new ScalarValue("bottom");
        for (var i = 0; i < 300; i++)
            built = new StructureValue([new LogEventProperty("Inner", built)]);

        var (path, failures, folder) = Log(l =>
        {
            l.Information("Nested {@Deep}", nested);
            l.Write(new LogEvent(DateTimeOffset.Now, LogEventLevel.Information, null, new Parsing.MessageTemplateParser().Parse("Built {Deep}"),
                [new LogEventProperty("Deep", built)]));
        });
        using (folder)
        {
            failures.Should().BeEmpty();
            Database.Query(path, "SELECT json_valid(properties) AS valid FROM logs").Should().HaveCount(2)
                .And.OnlyContain(r => (long)r["valid"]! == 1);
        }
    }

    [Test]
    public void PropertyNamesWithQuotesDotsAndNonAsciiTextCanBeQueried()
    {
        var (path, failures, folder) = Log(l => l.Write(Some.LogEvent("Odd names", properties:
        [
            Some.Property("say \"hi\"", 1), Some.Property("a.b", 2), Some.Property("名前", 3), Some.Property("it's", 4),
            Some.Property("$[0]", 5),
        ])));
        using (folder)
        {
            failures.Should().BeEmpty();
            Database.Query(path, """
                SELECT json_extract(properties, '$."say \"hi\""') AS quote, json_extract(properties, '$."a.b"') AS dot,
                       json_extract(properties, '$."名前"') AS name, json_extract(properties, '$."it''s"') AS apostrophe,
                       json_extract(properties, '$."$[0]"') AS path
                FROM logs
                """).Single().Values.Should().Equal(1L, 2L, 3L, 4L, 5L);
        }
    }

    [Test]
    public void LoneSurrogatesAreStoredAsReplacementCharacters()
    {
        var (path, failures, folder) = Log(l => l.Information("High {High} low {Low}", "a\uD800b", "c\uDC00d"));
        using (folder)
        {
            failures.Should().BeEmpty();
            var row = Database.Query(path, "SELECT message, json_valid(properties) AS valid, json_extract(properties, '$.High') AS high FROM logs").Single();
            row["valid"].Should().Be(1L);
            ((string)row["high"]!).Should().Be("a\uFFFDb");
            ((string)row["message"]!).Should().Be("High \"a\uFFFDb\" low \"c\uFFFDd\"");
        }
    }

    // In code, not in attributes: an attribute's strings are stored as UTF-8, which cannot hold a lone surrogate. The
    // cases are named, since test runners mangle names that hold one.
    static readonly TestCaseData[] LoneSurrogates =
    [
        new TestCaseData("\uD800", "\uFFFD").SetArgDisplayNames("a lone high surrogate"),
        new TestCaseData("end\uD83D", "end\uFFFD").SetArgDisplayNames("a high surrogate at the end"),
        new TestCaseData("\uDE80start", "\uFFFDstart").SetArgDisplayNames("a low surrogate at the start"),
        new TestCaseData("\uD83D\uDE80\uD800\uD83D\uDE80", "\uD83D\uDE80\uFFFD\uD83D\uDE80").SetArgDisplayNames("a lone surrogate between pairs"),
        new TestCaseData("\uDE80\uD83D", "\uFFFD\uFFFD").SetArgDisplayNames("a pair in the wrong order"),
    ];

    [TestCaseSource(nameof(LoneSurrogates))]
    public void OnlyLoneSurrogatesAreReplacedAndNoCharacterAroundThemIsLost(string text, string stored)
    {
        var (path, failures, folder) = Log(l => l.Information("{Text}", text));
        using (folder)
        {
            failures.Should().BeEmpty();
            Database.Scalar(path, "SELECT json_extract(properties, '$.Text') FROM logs").Should().Be(stored);
            Database.Scalar(path, "SELECT message FROM logs").Should().Be($"\"{stored}\"");
        }
    }

    [Test]
    public void NullValuesAreStoredAsJsonNull()
    {
        var (path, failures, folder) = Log(l => l.Information("Nothing {Nothing} and {@Object}", null, new { Inner = (string?)null }));
        using (folder)
        {
            failures.Should().BeEmpty();
            Database.Scalar(path, "SELECT json_type(properties, '$.Nothing') FROM logs").Should().Be("null");
            Database.Scalar(path, "SELECT json_type(properties, '$.Object.Inner') FROM logs").Should().Be("null");
        }
    }

    [Test]
    public void NaNAndInfiniteValuesBecomeWarningsAsMetricsAndStringsAsProperties()
    {
        var (path, failures, folder) = Log(l =>
        {
            l.Metric("nan", double.NaN);
            l.Metric("infinite", double.PositiveInfinity);
            l.Information("Ratio {Ratio} and {Other}", double.NaN, double.NegativeInfinity);
        });
        using (folder)
        {
            failures.Should().BeEmpty();
            Database.Count(path, "metrics").Should().Be(0);
            Database.Scalar(path, "SELECT COUNT(*) FROM logs WHERE level = 'Warning'").Should().Be(2L);
            Database.Scalar(path, "SELECT json_valid(properties) FROM logs WHERE message_template LIKE 'Ratio%'").Should().Be(1L);
        }
    }

    [Test]
    public void AnExceptionWhoseToStringThrowsIsStoredWithANote()
    {
        var (path, failures, folder) = Log(l => l.Error(new UnprintableException(), "It broke"));
        using (folder)
        {
            failures.Should().BeEmpty();
            ((string)Database.Scalar(path, "SELECT exception FROM logs")!).Should().Contain(nameof(UnprintableException)).And.Contain("ToString() threw");
        }
    }

    [Test]
    // 1,000 events fill several chunks, so the refusal comes while the next chunk is being rendered ahead.
    [Category(Needs.Sqlite3Client)]
    [TestCase(50)]
    [TestCase(1000)]
    public void AnEventTheDatabaseRefusesIsReportedAloneAndNeverRetried(int events)
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using (var first = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            first.Information("Creates the tables");
        Sqlite3Client.Run(path, "CREATE TRIGGER no_poison BEFORE INSERT ON logs WHEN NEW.message LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'poison refused'); END;");
        var failures = new FailureCollector();

        using (var logger = new LoggerConfiguration()
                   .WriteTo.Fallible(wt => wt.SqliteWorker(path, bufferingTimeLimit: TimeSpan.FromMinutes(5)), failures)
                   .CreateLogger())
        {
            for (var i = 0; i < events; i++)
                logger.Information(i == events / 2 ? "Event {Index}, poison" : "Event {Index}", i);
        }

        Database.Count(path, "logs").Should().Be(events);
        Database.Scalar(path, "SELECT count(DISTINCT json_extract(properties, '$.Index')) FROM logs WHERE message_template = 'Event {Index}'")
            .Should().Be(events - 1L);
        var report = failures.Failures.Should().ContainSingle().Subject;
        report.Kind.Should().Be(LoggingFailureKind.Permanent);
        report.Events.Should().ContainSingle().Which.MessageTemplate.Text.Should().Be("Event {Index}, poison");
        report.Text.Should().Contain("poison refused").And.Contain($"'{path}'");
    }

    static (string Path, IReadOnlyList<ReportedFailure> Failures, TempFolder Folder) Log(Action<ILogger> log)
    {
        var folder = new TempFolder();
        var path = folder.File("logs.db");
        var failures = new FailureCollector();
        var sink = AuditedSink.Create(path, failures);
        using (sink)
        {
            var logging = () => log(sink.Logger);
            logging.Should().NotThrow();
        }

        sink.Counters.Queued.Should().Be(0, "every event was written or reported");

        return (path, failures.Failures, folder);
    }

    sealed class UnprintableException : Exception
    {
        public override string ToString() => throw new InvalidOperationException("no text for you");
    }
}
