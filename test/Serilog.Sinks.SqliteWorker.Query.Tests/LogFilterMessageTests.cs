using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Query.Tests;

/// <summary>
/// A log filter the query helper refuses says which field is wrong and what to give instead; a trace id must be exactly
/// 32 hex digits, every one of them.
/// </summary>
public sealed class LogFilterMessageTests
{
    static SqliteWorkerDatabase Open() => SqliteWorkerDatabase.Open(SampleDatabase.Path);

    [Test]
    public void AnUnknownMinimumLevelIsNamedWithTheLevelsToUse()
    {
        using var db = Open();
        db.Invoking(d => d.GetLogs(new LogFilter { MinimumLevel = (LogEventLevel)(-1) }))
            .Should().Throw<ArgumentException>()
            .WithMessage("MinimumLevel -1 is not a Serilog level; use one of Verbose, Debug, Information, Warning, Error, Fatal.*");
    }

    [Test]
    public void AnEmptyMessageContainsSaysToGiveTextOrLeaveItNull()
    {
        using var db = Open();
        db.Invoking(d => d.GetLogs(new LogFilter { MessageContains = "" }))
            .Should().Throw<ArgumentException>().WithMessage("MessageContains is empty; give some text to look for, or leave it null.*");
    }

    [TestCase("0123456789abcdef0123456789abcdeg", TestName = "Thirty-two characters, one of them not a hex digit")]
    [TestCase("ghijklmnopqrstuvwxyzghijklmnopqr", TestName = "Thirty-two characters, none of them a hex digit")]
    [TestCase("0123456789abcdef0123456789abcde", TestName = "Thirty-one hex digits")]
    public void ATraceIdThatIsNotThirtyTwoHexDigitsIsRefused(string traceId)
    {
        using var db = Open();
        db.Invoking(d => d.GetLogs(new LogFilter { TraceId = traceId }))
            .Should().Throw<ArgumentException>().WithMessage($"TraceId '{traceId}' is not a W3C trace id*");
    }

    [Test]
    public void ATraceIdOfThirtyTwoHexDigitsInEitherCaseIsAccepted()
    {
        using var db = Open();
        db.Invoking(d => d.GetLogs(new LogFilter { TraceId = "0123456789ABCDEF0123456789abcdef" })).Should().NotThrow();
    }
}
