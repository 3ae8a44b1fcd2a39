using System.Buffers;
using System.Data.SQLite;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// Streams rows to CSV or JSON Lines: each row is encoded into one reused buffer, which goes to the stream whenever it
/// passes a threshold, so memory use does not grow with the number of rows.
/// </summary>
static class RowExport
{
    /// <summary>The columns of <see cref="LogSql.Columns"/>, each written as its kind.</summary>
    public static readonly (string Name, ColumnKind Kind)[] LogColumns =
        [(SchemaColumn.Id, ColumnKind.Integer), .. SqliteWorker.LogColumns.All.Select(c => (c.Name, c.Kind))];

    /// <summary>The columns of <see cref="MetricSql.Columns"/>, each written as its kind.</summary>
    public static readonly (string Name, ColumnKind Kind)[] MetricColumns =
        [(SchemaColumn.Id, ColumnKind.Integer), .. SqliteWorker.MetricColumns.All.Select(c => (c.Name, c.Kind))];

    const int FlushThreshold = 64 * 1024;
    const int ProgressInterval = 10_000;

    static readonly JsonWriterOptions JsonOptions = new()
    {
        // The output is a data file, not HTML: keep non-ASCII text readable instead of \u-escaping it.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<long> WriteAsync(DatabaseFile file, string sql, SqlWhere where, (string Name, ColumnKind Kind)[] columns,
        Stream destination, ExportFormat format, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var buffer = new ArrayBufferWriter<byte>(FlushThreshold * 2);
        using var json = new Utf8JsonWriter(buffer, JsonOptions);
        var csv = new StringBuilder();
        var encoder = Encoding.UTF8.GetEncoder();

        using var connection = file.Open();
        using var interrupt = QueryInterruption.Interrupts(connection, cancellationToken);
        long rows = 0;
        try
        {
            using var command = SqliteWorkerDatabase.Command(connection, sql, where);
            // One statement reads one snapshot: rows the sink commits meanwhile are not half-included.
            using var reader = command.ExecuteReader();

            if (format == ExportFormat.Csv)
                WriteCsvHeader(csv, columns, encoder, buffer);

            while (reader.Read())
            {
                if (format == ExportFormat.Csv)
                    WriteCsvRow(csv, reader, columns, encoder, buffer);
                else
                    WriteJsonRow(json, reader, columns, buffer);

                rows++;
                if (buffer.WrittenCount >= FlushThreshold)
                {
                    await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                    buffer.ResetWrittenCount();
                }

                if (rows % ProgressInterval == 0)
                    progress?.Report(rows);
            }
        }
        catch (SQLiteException ex) when (QueryInterruption.WasInterrupted(ex, cancellationToken))
        {
            throw new OperationCanceledException("The export was cancelled.", ex, cancellationToken);
        }

        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report(rows);
        return rows;
    }

    static void WriteCsvHeader(StringBuilder line, (string Name, ColumnKind Kind)[] columns, Encoder encoder,
        ArrayBufferWriter<byte> buffer)
    {
        line.Clear().AppendJoin(',', columns.Select(c => c.Name)).Append("\r\n");
        Encode(line, encoder, buffer);
    }

    static void WriteCsvRow(StringBuilder line, SQLiteDataReader reader, (string Name, ColumnKind Kind)[] columns,
        Encoder encoder, ArrayBufferWriter<byte> buffer)
    {
        line.Clear();
        for (var i = 0; i < columns.Length; i++)
        {
            if (i > 0)
                line.Append(',');
            if (reader.IsDBNull(i))
                continue;

            switch (columns[i].Kind)
            {
                case ColumnKind.Integer:
                    line.Append(reader.GetInt64(i).ToString(CultureInfo.InvariantCulture));
                    break;
                case ColumnKind.Real:
                    line.Append(reader.GetDouble(i).ToString("R", CultureInfo.InvariantCulture));
                    break;
                case ColumnKind.Timestamp:
                    line.Append(Iso8601(reader.GetString(i)));
                    break;
                default:
                    AppendCsvField(line, reader.GetString(i));
                    break;
            }
        }

        // RFC 4180 ends records with CRLF; a line break inside a quoted field is kept as it was logged.
        line.Append("\r\n");
        Encode(line, encoder, buffer);
    }

    static void AppendCsvField(StringBuilder line, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(value);
            return;
        }

        line.Append('"');
        foreach (var c in value)
        {
            if (c == '"')
                line.Append('"');
            line.Append(c);
        }

        line.Append('"');
    }

    static void WriteJsonRow(Utf8JsonWriter json, SQLiteDataReader reader, (string Name, ColumnKind Kind)[] columns,
        ArrayBufferWriter<byte> buffer)
    {
        json.Reset(buffer);
        json.WriteStartObject();
        for (var i = 0; i < columns.Length; i++)
        {
            var (name, kind) = columns[i];
            if (reader.IsDBNull(i))
            {
                json.WriteNull(name);
                continue;
            }

            switch (kind)
            {
                case ColumnKind.Integer:
                    json.WriteNumber(name, reader.GetInt64(i));
                    break;
                case ColumnKind.Real:
                    json.WriteNumber(name, reader.GetDouble(i));
                    break;
                case ColumnKind.Timestamp:
                    json.WriteString(name, Iso8601(reader.GetString(i)));
                    break;
                case ColumnKind.Json:
                    var text = reader.GetString(i);
                    // Checked here, once, so that a row that is not readable JSON is written as a string of its text
                    // instead of failing the export.
                    if (PropertiesText.IsReadableObject(text))
                    {
                        json.WritePropertyName(name);
                        json.WriteRawValue(text, skipInputValidation: true);
                    }
                    else
                    {
                        json.WriteString(name, text);
                    }

                    break;
                default:
                    json.WriteString(name, reader.GetString(i));
                    break;
            }
        }

        json.WriteEndObject();
        json.Flush();
        buffer.Write("\n"u8);
    }

    static string Iso8601(string stored) =>
        TimestampText.Parse(stored).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    // The encoder carries a surrogate pair that a chunk boundary splits over to the next chunk.
    static void Encode(StringBuilder text, Encoder encoder, ArrayBufferWriter<byte> buffer)
    {
        foreach (var chunk in text.GetChunks())
        {
            var span = buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(chunk.Length));
            buffer.Advance(encoder.GetBytes(chunk.Span, span, flush: false));
        }
    }
}
