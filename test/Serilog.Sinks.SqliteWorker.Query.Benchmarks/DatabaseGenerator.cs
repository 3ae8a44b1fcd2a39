using System.Data.SQLite;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Serilog.Sinks.SqliteWorker.Query.Benchmarks;

/// <summary>
/// Builds a large database in the sink's format. The sink itself creates the file and its schema (by writing one
/// event); the bulk rows are then inserted directly, with multi-row prepared INSERTs in large transactions, because
/// pushing millions of events through a logger would measure the sink, not the queries.
/// </summary>
sealed class DatabaseGenerator(string path, int logCount, int metricCount, DateTimeOffset end)
{
    const int RowsPerStatement = 50;
    const int RowsPerTransaction = 100_000;

    public static readonly TimeSpan Span = TimeSpan.FromHours(24);

    static readonly (string Level, double Weight)[] Levels =
        [("Verbose", 0.05), ("Debug", 0.20), ("Information", 0.65), ("Warning", 0.07), ("Error", 0.025), ("Fatal", 0.005)];

    static readonly string[] SourceContexts =
    [
        "Shop.Api.OrdersController", "Shop.Orders.OrderService", "Shop.Payments.PaymentGateway", "Shop.Inventory.StockService",
        "Shop.Catalog.ProductRepository", "Shop.Identity.TokenService", "Shop.Shipping.CarrierClient", "Shop.Email.Mailer",
        "Shop.Jobs.NightlyReport", "Shop.Cache.RedisCache", "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Microsoft.EntityFrameworkCore.Database.Command", "Shop.Search.Indexer", "Shop.Pricing.DiscountEngine",
        "Shop.Api.HealthController",
    ];

    static readonly (string Template, Func<Random, string> Properties, Func<Random, string, string> Render)[] Templates =
    [
        ("Order {OrderId} placed by {UserId}", r => $"{{\"OrderId\":{r.Next(1, 50_000)},\"UserId\":\"u-{r.Next(1, 5_000)}\"}}", (_, p) => "Order placed " + p),
        ("HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms",
            r => $"{{\"RequestMethod\":\"GET\",\"RequestPath\":\"/api/orders/{r.Next(1, 50_000)}\",\"StatusCode\":{(r.Next(100) < 95 ? 200 : 500)},\"Elapsed\":{r.NextDouble() * 200:0.0000}}}",
            (_, p) => "HTTP request " + p),
        ("Executed DbCommand ({Elapsed}ms)", r => $"{{\"Elapsed\":{r.Next(1, 400)}}}", (_, p) => "Executed DbCommand " + p),
        ("Cache miss for {CacheKey}", r => $"{{\"CacheKey\":\"product:{r.Next(1, 20_000)}\"}}", (_, p) => "Cache miss " + p),
        ("Payment {PaymentId} authorised for {Amount} {Currency}", r => $"{{\"PaymentId\":\"p-{r.Next()}\",\"Amount\":{r.Next(1, 900)}.{r.Next(0, 99):00},\"Currency\":\"EUR\"}}", (_, p) => "Payment authorised " + p),
        ("Stock for {Sku} fell to {Quantity}", r => $"{{\"Sku\":\"SKU-{r.Next(1, 9_999)}\",\"Quantity\":{r.Next(0, 20)}}}", (_, p) => "Stock fell " + p),
        ("User {UserId} signed in", r => $"{{\"UserId\":\"u-{r.Next(1, 5_000)}\"}}", (_, p) => "User signed in " + p),
        ("Retrying {Operation} after {Delay} ms (attempt {Attempt})", r => $"{{\"Operation\":\"charge\",\"Delay\":{r.Next(10, 2_000)},\"Attempt\":{r.Next(1, 5)}}}", (_, p) => "Retrying " + p),
        ("Shipment {ShipmentId} handed to {Carrier}", r => $"{{\"ShipmentId\":{r.Next()},\"Carrier\":\"DHL\"}}", (_, p) => "Shipment handed over " + p),
        ("Health check passed", _ => "{}", (_, _) => "Health check passed"),
    ];

    static readonly string[] Exceptions =
    [
        "System.TimeoutException: The operation has timed out.",
        "System.InvalidOperationException: Sequence contains no elements",
        "System.Net.Http.HttpRequestException: Connection refused (payments.internal:443)",
        "System.Data.SQLite.SQLiteException (0x87AF00AA): database is locked",
        "System.NullReferenceException: Object reference not set to an instance of an object.",
        "System.ArgumentException: Quantity must be positive. (Parameter 'quantity')",
    ];

    static readonly (string Name, string Unit, double Median, double Sigma, double Weight)[] Metrics = BuildMetrics();

    public void Generate()
    {
        var watch = Stopwatch.StartNew();
        // The sink makes the file, its tables, indexes and pragmas, exactly as applications get them.
        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            logger.Information("Benchmark database created for {LogCount} logs and {MetricCount} metrics", logCount, metricCount);

        using var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous = OFF");
        Execute(connection, "PRAGMA cache_size = -200000");

        InsertLogs(connection);
        Console.WriteLine($"  {logCount:N0} logs in {watch.Elapsed.TotalSeconds:F1} s");
        InsertMetrics(connection);
        Console.WriteLine($"  {metricCount:N0} metrics in {watch.Elapsed.TotalSeconds:F1} s");
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
    }

    void InsertLogs(SQLiteConnection connection)
    {
        var random = new Random(1);
        var rows = new BulkInsert(connection, "logs",
            ["timestamp", "level", "source_context", "message", "message_template", "exception", "thread_id", "trace_id", "span_id", "properties"]);
        for (var i = 0; i < logCount; i++)
        {
            var level = Pick(random, Levels, l => l.Weight).Level;
            var template = Templates[Zipf(random, Templates.Length)];
            var properties = template.Properties(random);
            var failed = level is "Error" or "Fatal" && random.Next(100) < 80;
            var traced = random.Next(100) < 60;
            rows.Add(
                Timestamp(i, logCount, random),
                level,
                SourceContexts[Zipf(random, SourceContexts.Length)],
                template.Render(random, properties),
                template.Template,
                failed ? Exceptions[Zipf(random, Exceptions.Length)] + StackTrace : null,
                (long)(1 + Zipf(random, 40)),
                traced ? Hex(random, 16) : null,
                traced ? Hex(random, 8) : null,
                properties);
        }

        rows.Finish();
    }

    void InsertMetrics(SQLiteConnection connection)
    {
        var random = new Random(2);
        var rows = new BulkInsert(connection, "metrics", ["timestamp", "metric_name", "value", "unit", "properties"]);
        for (var i = 0; i < metricCount; i++)
        {
            var metric = Pick(random, Metrics, m => m.Weight);
            // Log-normal values: most operations are quick, a few are very slow, as latencies are.
            var value = Math.Round(metric.Median * Math.Exp(metric.Sigma * Gaussian(random)), 3);
            rows.Add(Timestamp(i, metricCount, random), metric.Name, value, metric.Unit,
                metric.Unit == "ms" ? $"{{\"ThreadId\":{1 + Zipf(random, 40)}}}" : "{}");
        }

        rows.Finish();
    }

    /// <summary>Row <paramref name="i"/>'s time: in order, over the last 24 hours, busier at some hours than others.</summary>
    string Timestamp(int i, int count, Random random)
    {
        var u = (i + random.NextDouble()) / count;
        // f(u) = u - sin(2πu) / 4π is increasing, with a density between 0.5 and 1.5: a daily peak and trough.
        var f = u - Math.Sin(2 * Math.PI * u) / (4 * Math.PI);
        var time = end - Span + TimeSpan.FromTicks((long)(f * Span.Ticks));
        return time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
    }

    static (string, string, double, double, double)[] BuildMetrics()
    {
        var list = new List<(string, string, double, double, double)>
        {
            ("response_time", "ms", 45, 0.6, 0.35),
            ("db_query", "ms", 8, 0.9, 0.20),
            ("cpu_percent", "%", 35, 0.4, 0.05),
            ("memory_mb", "MB", 512, 0.1, 0.05),
        };
        string[] operations = ["checkout", "search", "login", "render_cart", "send_email", "resize_image", "sync_stock",
            "price_quote", "charge_card", "refund", "export_report", "import_feed", "geocode", "recommend", "invoice",
            "tax_calc", "shipping_rate", "fraud_check", "audit_write", "thumbnail"];
        for (var i = 0; i < operations.Length; i++)
            list.Add(($"operation_duration_{operations[i]}", "ms", 20 + 15 * i, 0.7, 0.35 / operations.Length));
        return list.ToArray();
    }

    static T Pick<T>(Random random, T[] items, Func<T, double> weight)
    {
        var x = random.NextDouble() * items.Sum(weight);
        foreach (var item in items)
        {
            x -= weight(item);
            if (x <= 0)
                return item;
        }

        return items[^1];
    }

    /// <summary>An index in [0, n) where small indexes are much more frequent, like real classes, threads and templates.</summary>
    static int Zipf(Random random, int n) => Math.Min(n - 1, (int)Math.Floor(Math.Pow(n + 1, random.NextDouble()) - 1));

    static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    static string Hex(Random random, int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        random.NextBytes(buffer);
        return Convert.ToHexStringLower(buffer);
    }

    const string StackTrace =
        "\n   at Shop.Orders.OrderService.PlaceAsync(Order order) in /src/Shop/Orders/OrderService.cs:line 88" +
        "\n   at Shop.Api.OrdersController.Post(OrderRequest request) in /src/Shop/Api/OrdersController.cs:line 41" +
        "\n   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.TaskOfIActionResultExecutor.Execute()";

    static void Execute(SQLiteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A prepared INSERT of <see cref="RowsPerStatement"/> rows at a time, committed every <see cref="RowsPerTransaction"/> rows.</summary>
    sealed class BulkInsert
    {
        readonly SQLiteConnection _connection;
        readonly SQLiteCommand _command;
        readonly SQLiteParameter[] _parameters;
        readonly int _columns;
        readonly string _table;
        readonly string[] _columnNames;
        SQLiteTransaction? _transaction;
        int _pending;
        int _inTransaction;

        public BulkInsert(SQLiteConnection connection, string table, string[] columns)
        {
            _connection = connection;
            _table = table;
            _columnNames = columns;
            _columns = columns.Length;
            _command = connection.CreateCommand();
            _command.CommandText = Sql(RowsPerStatement);
            _parameters = new SQLiteParameter[RowsPerStatement * _columns];
            for (var i = 0; i < _parameters.Length; i++)
            {
                _parameters[i] = new SQLiteParameter("@p" + i);
                _command.Parameters.Add(_parameters[i]);
            }
        }

        string Sql(int rows)
        {
            var sql = new StringBuilder($"INSERT INTO \"{_table}\" ({string.Join(", ", _columnNames)}) VALUES ");
            for (var r = 0; r < rows; r++)
                sql.Append(r == 0 ? "" : ", ").Append('(').AppendJoin(", ", Enumerable.Range(r * _columns, _columns).Select(i => "@p" + i)).Append(')');
            return sql.ToString();
        }

        public void Add(params object?[] values)
        {
            _transaction ??= _connection.BeginTransaction();
            for (var c = 0; c < _columns; c++)
                _parameters[_pending * _columns + c].Value = values[c] ?? DBNull.Value;
            if (++_pending == RowsPerStatement)
            {
                _command.ExecuteNonQuery();
                _pending = 0;
                _inTransaction += RowsPerStatement;
                if (_inTransaction >= RowsPerTransaction)
                    Commit();
            }
        }

        public void Finish()
        {
            if (_pending > 0)
            {
                using var rest = _connection.CreateCommand();
                rest.CommandText = Sql(_pending);
                for (var i = 0; i < _pending * _columns; i++)
                    rest.Parameters.Add(new SQLiteParameter("@p" + i, _parameters[i].Value));
                rest.ExecuteNonQuery();
            }

            Commit();
            _command.Dispose();
        }

        void Commit()
        {
            _transaction?.Commit();
            _transaction?.Dispose();
            _transaction = null;
            _inTransaction = 0;
        }
    }
}
