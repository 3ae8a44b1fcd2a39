using Serilog.Debugging;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

public class CustomColumnTests
{
    sealed record Customer(int Id, string Name);
    sealed record Order(string Number, Customer Customer);

    static Core.Logger Logger(string path, params SqliteWorkerColumn[] columns) =>
        new LoggerConfiguration()
            .WriteTo.SqliteWorker(new SqliteWorkerSinkOptions { DatabasePath = path, CustomColumns = columns })
            .CreateLogger();

    [Test]
    public void AHostnameFromAnEnricherFillsItsOwnColumn()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var logger = new LoggerConfiguration()
                   .Enrich.WithProperty("Hostname", "web-7")
                   .WriteTo.SqliteWorker(new SqliteWorkerSinkOptions
                   {
                       DatabasePath = path,
                       CustomColumns = [new SqliteWorkerColumn { PropertyPath = "Hostname", ColumnName = "hostname" }],
                   })
                   .CreateLogger())
            logger.Information("Request processed");

        var row = Database.Query(path, "SELECT hostname, json_extract(properties, '$.Hostname') AS in_json FROM logs").Single();
        row["hostname"].Should().Be("web-7");
        row["in_json"].Should().Be("web-7", "a promoted property stays in the JSON too");
        Database.Query(path, "PRAGMA table_info(logs)").Select(r => (r["name"], r["type"])).Should().Contain(("hostname", "TEXT"));
    }

    [Test]
    public void APathIntoADestructuredObjectFillsATypedIndexedColumn()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var logger = Logger(path, new SqliteWorkerColumn
               {
                   PropertyPath = "Order.Customer.Id", ColumnName = "customer_id", Type = SqliteColumnType.Integer, Indexed = true,
               }))
        {
            logger.Information("Placed {@Order}", new Order("A-1", new Customer(42, "Ada")));
            logger.Information("No order here");
        }

        Database.Query(path, "SELECT customer_id FROM logs ORDER BY id").Select(r => r["customer_id"]).Should().Equal(42L, null);
        Database.Query(path, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'logs'").Select(r => r["name"])
            .Should().Contain("cx_logs_customer_id");
        string.Join(" ", Database.Query(path, "EXPLAIN QUERY PLAN SELECT * FROM logs WHERE customer_id = 42").Select(r => r["detail"]))
            .Should().Contain("USING INDEX cx_logs_customer_id");
    }

    [Test]
    public void AnIndexedColumnNamedLikeOneOfTheSinksOwnIndexesGetsAnIndexOfItsOwn()
    {
        const string column = "level_timestamp";
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var logger = Logger(path, new SqliteWorkerColumn { PropertyPath = "At", ColumnName = column, Indexed = true }))
            logger.Information("At {At}", 42);

        IndexesOf(path, column).Should().Equal($"cx_logs_{column}");
        string.Join(" ", Database.Query(path, $"EXPLAIN QUERY PLAN SELECT * FROM logs WHERE {column} = '42'").Select(r => r["detail"]))
            .Should().Contain($"USING INDEX cx_logs_{column}");
        IndexesOf(path, "level").Should().Equal(["ix_logs_level_timestamp"], "the sink's own index is still there, on its own columns");
    }

    [Category(Needs.Sqlite3Client)]
    [Test]
    public void AFileWhoseColumnIsAlreadyIndexedUnderAnotherNameGetsNoSecondIndex()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var customerId = new SqliteWorkerColumn { PropertyPath = "CustomerId", ColumnName = "customer_id", Type = SqliteColumnType.Integer, Indexed = true };
        using (var logger = Logger(path, customerId))
            logger.Information("Creates the tables");
        // As an earlier release named it, and a user's own index on an expression of the column, which serves other queries.
        Sqlite3Client.Run(path, """
            DROP INDEX cx_logs_customer_id;
            CREATE INDEX ix_logs_customer_id ON logs (customer_id);
            CREATE INDEX mine_customer_text ON logs (CAST(customer_id AS TEXT));
            """);

        using (var logger = Logger(path, customerId))
            logger.Information("Customer {CustomerId}", 42);

        IndexesOf(path, "customer_id").Should().Equal(["ix_logs_customer_id"], "the index an earlier release made serves as well");
        Database.Scalar(path, "SELECT customer_id FROM logs WHERE id = 2").Should().Be(42L);
    }

    [Category(Needs.Sqlite3Client)]
    [Test]
    public void AnIndexOnTheColumnThatServesOtherQueriesOnlyDoesNotCount()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using (var logger = Logger(path, new SqliteWorkerColumn { PropertyPath = "CustomerId", ColumnName = "customer_id" }))
            logger.Information("Creates the tables");
        // Partial, or in another collation: neither answers customer_id = ? for every row, so the sink makes its own.
        Sqlite3Client.Run(path, """
            CREATE INDEX mine_some_customers ON logs (customer_id) WHERE customer_id > 100;
            CREATE INDEX mine_nocase_customers ON logs (customer_id COLLATE NOCASE);
            """);

        using (var logger = Logger(path, new SqliteWorkerColumn { PropertyPath = "CustomerId", ColumnName = "customer_id", Indexed = true }))
            logger.Information("Customer {CustomerId}", 42);

        IndexesOf(path, "customer_id").Should().Contain("cx_logs_customer_id");
    }

    /// <summary>The names of the logs table's indexes whose first column is <paramref name="column"/>.</summary>
    static IEnumerable<object?> IndexesOf(string path, string column) =>
        Database.Query(path, "SELECT il.name FROM pragma_index_list('logs') AS il, pragma_index_info(il.name) AS ii " +
                             "WHERE ii.seqno = 0 AND ii.name = @column ORDER BY il.name", ("@column", column))
            .Select(r => r["name"]);

    [TestCase(SqliteColumnType.Integer, 42, 42L)]
    [TestCase(SqliteColumnType.Integer, "42", 42L)]
    [TestCase(SqliteColumnType.Integer, 3.0, 3L)]
    [TestCase(SqliteColumnType.Integer, true, 1L)]
    [TestCase(SqliteColumnType.Real, 2.5, 2.5)]
    [TestCase(SqliteColumnType.Real, "2.5", 2.5)]
    [TestCase(SqliteColumnType.Real, 7, 7.0)]
    [TestCase(SqliteColumnType.Text, 42, "42")]
    [TestCase(SqliteColumnType.Text, 2.5, "2.5")]
    [TestCase(SqliteColumnType.Text, "plain", "plain")]
    public void ValuesConvertToTheColumnsType(SqliteColumnType type, object value, object expected)
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var logger = Logger(path, new SqliteWorkerColumn { PropertyPath = "Value", ColumnName = "value_column", Type = type }))
            logger.Information("Value {Value}", value);

        Database.Scalar(path, "SELECT value_column FROM logs").Should().Be(expected);
    }

    [TestCase(SqliteColumnType.Integer, "not a number")]
    [TestCase(SqliteColumnType.Integer, 2.5)]
    [TestCase(SqliteColumnType.Real, double.NaN)]
    [TestCase(SqliteColumnType.Real, "abc")]
    public void AValueOfTheWrongTypeIsStoredAsNullWithANoteAndStaysInTheJson(SqliteColumnType type, object value)
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var selfLog = new StringWriter();
        SelfLog.Enable(TextWriter.Synchronized(selfLog));
        try
        {
            using var logger = Logger(path, new SqliteWorkerColumn { PropertyPath = "Value", ColumnName = "value_column", Type = type });
            logger.Information("Value {Value}", value);
            logger.Information("The batch goes on");
        }
        finally
        {
            SelfLog.Disable();
        }

        var rows = Database.Query(path, "SELECT value_column, json_type(properties, '$.Value') AS kept FROM logs ORDER BY id");
        rows.Should().HaveCount(2);
        rows[0]["value_column"].Should().BeNull();
        rows[0]["kept"].Should().NotBeNull();
        selfLog.ToString().Should().Contain("property Value could not be stored in the " + type + " column value_column");
    }

    [Test]
    public void AStructureInATextColumnIsStoredAsItsJson()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var logger = Logger(path, new SqliteWorkerColumn { PropertyPath = "Order", ColumnName = "order_json" }))
            logger.Information("Placed {@Order}", new Order("A-1", new Customer(42, "Ada")));

        Database.Scalar(path, "SELECT json_extract(order_json, '$.Customer.Name') FROM logs").Should().Be("Ada");
    }

    [Test]
    public void AColumnIsAddedToAnExistingFileWithoutRecreatingTheTable()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using (var before = new LoggerConfiguration().Enrich.WithProperty("RequestId", "r-1").WriteTo.SqliteWorker(path).CreateLogger())
            before.Information("Before the column");
        var rootPageBefore = Database.Scalar(path, "SELECT rootpage FROM sqlite_master WHERE name = 'logs'");

        using (var after = new LoggerConfiguration().Enrich.WithProperty("RequestId", "r-2")
                   .WriteTo.SqliteWorker(new SqliteWorkerSinkOptions
                   {
                       DatabasePath = path,
                       CustomColumns = [new SqliteWorkerColumn { PropertyPath = "RequestId", ColumnName = "request_id", Indexed = true }],
                   })
                   .CreateLogger())
            after.Information("After the column");

        Database.Query(path, "SELECT id, message, request_id FROM logs ORDER BY id").Select(r => (r["id"], r["message"], r["request_id"]))
            .Should().Equal((1L, "Before the column", null), (2L, "After the column", "r-2"));
        Database.Scalar(path, "SELECT rootpage FROM sqlite_master WHERE name = 'logs'").Should().Be(rootPageBefore,
            "the table was altered in place, not dropped and created again");
    }

    [TestCase("host-name", "*not a valid SQLite column name for customColumns*for example \"hostname\"*")]
    [TestCase("message", "*name of one of the logs table's own columns*")]
    [TestCase("ID", "*name of one of the logs table's own columns*")]
    public void AnUnusableColumnNameIsRefusedAtConfiguration(string name, string message)
    {
        var configuring = () => new LoggerConfiguration()
            .WriteTo.SqliteWorker(new SqliteWorkerSinkOptions
            {
                DatabasePath = "logs.db",
                CustomColumns = [new SqliteWorkerColumn { PropertyPath = "Hostname", ColumnName = name }],
            });

        configuring.Should().Throw<ArgumentException>().WithMessage(message).Which.ParamName.Should().Be("customColumns");
    }

    [Test]
    public void TwoColumnsWithOneNameOrAColumnWithoutAPropertyAreRefused()
    {
        var duplicate = () => new LoggerConfiguration().WriteTo.SqliteWorker(new SqliteWorkerSinkOptions
        {
            DatabasePath = "logs.db",
            CustomColumns =
            [
                new SqliteWorkerColumn { PropertyPath = "A", ColumnName = "same" },
                new SqliteWorkerColumn { PropertyPath = "B", ColumnName = "Same" },
            ],
        });
        var noProperty = () => new LoggerConfiguration().WriteTo.SqliteWorker(new SqliteWorkerSinkOptions
        {
            DatabasePath = "logs.db",
            CustomColumns = [new SqliteWorkerColumn { PropertyPath = " ", ColumnName = "hostname" }],
        });

        duplicate.Should().Throw<ArgumentException>().WithMessage("Two custom columns are named 'Same'*");
        noProperty.Should().Throw<ArgumentException>().WithMessage("The custom column 'hostname' has no PropertyPath*");
    }
}
