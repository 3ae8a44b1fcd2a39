using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>Cancels a running statement through <c>sqlite3_interrupt</c>, which is safe to call from any thread.</summary>
static class QueryInterruption
{
    public static CancellationTokenRegistration Interrupts(SQLiteConnection connection, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static c => ((SQLiteConnection)c!).Cancel(), connection)
            : default;

    public static bool WasInterrupted(SQLiteException ex, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested && ex.ResultCode == SQLiteErrorCode.Interrupt;
}
