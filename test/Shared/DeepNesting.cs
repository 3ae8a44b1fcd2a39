namespace Serilog.Sinks.SqliteWorker.Testing;

/// <summary>Values nested as deep as a test needs: objects for a logger to destructure, and JSON text to store by hand.</summary>
static class DeepNesting
{
    /// <summary>A chain of <paramref name="levels"/> nodes; destructured with <c>{@N}</c>, each is a structure inside the one before.</summary>
    public static Node Chain(int levels)
    {
        Node? node = null;
        for (var level = levels - 1; level >= 0; level--)
            node = new Node(level, node);
        return node!;
    }

    /// <summary>
    /// A JSON object nesting <paramref name="levels"/> objects, counting itself: <c>{"A":1,"D":{"D":…0…}}</c>, as a file
    /// written before the sink bounded nesting may hold.
    /// </summary>
    public static string Json(int levels) =>
        "{\"A\":1,\"D\":" + string.Concat(Enumerable.Repeat("{\"D\":", levels - 1)) + "0" + new string('}', levels);

    /// <summary>The JSON path of the object that node <paramref name="index"/> of a chain logged as <c>N</c> becomes.</summary>
    public static string NodePath(int index) => "$.N" + string.Concat(Enumerable.Repeat(".Child", index));

    public sealed record Node(int Level, Node? Child);
}
