using System.Collections;
using System.Reflection;
using System.Text;

namespace IotyDevice.Benchmarks;

/// <summary>What a graph of live objects would take on the nanoFramework heap of a 32-bit ESP32, counted by walking it
/// with reflection, and what it takes on this 64-bit .NET. The nanoCLR layout (nanoframework/nf-interpreter,
/// src/CLR/Include/nanoCLR_Runtime__HeapBlock.h, src/CLR/Core/Execution.cpp, CLR_RT_HeapBlock_String.cpp,
/// TypeSystemLookup.cpp): the heap is made of 12-byte CLR_RT_HeapBlocks; an object is one block of header plus one block
/// per instance field, whatever the field's type (m_totalFields + HB_Object_Fields_Offset); an array is a 20-byte
/// CLR_RT_HeapBlock_Array header plus its elements (1 B bool/byte, 2 B char, 4 B int, 8 B long, a 12-byte block per
/// reference, DateTime or TimeSpan), rounded up to whole blocks; a string made at run time is a 12-byte header plus its
/// UTF-8 bytes and a NUL, rounded up to whole blocks, while a literal points into the assembly (header only).
/// A struct held in a field is a boxed value-type object of its own. Library objects whose insides differ between
/// nanoFramework and .NET (wait handles, Random, delegates) count as a fixed number of blocks and are not entered.</summary>
public static class NanoHeap
{
    public const int Block = 12;
    private const int ArrayHeader = 20;

    public sealed class Count
    {
        public long NanoBytes;
        public long HostBytes;
        public int Objects;
    }

    /// <summary>Walks from <paramref name="root"/>, breadth first. An object of a type <paramref name="partOf"/> names
    /// starts a part of its own (the first walk finds those, and each part stops at the others); everything else
    /// belongs to the first part that reaches it, the root's part last. Objects in <paramref name="excluded"/> (and
    /// whatever only they reach) are not counted.</summary>
    public static Dictionary<string, Count> Measure(object root, string rootPart, Func<object, string> partOf, ISet<object> excluded)
    {
        var roots = new List<(string Part, object Root)>();
        var found = new HashSet<object>(ReferenceEqualityComparer.Instance) { root };
        foreach (object e in excluded) found.Add(e);
        var search = new Queue<object>();
        search.Enqueue(root);
        while (search.Count > 0)
        {
            object o = search.Dequeue();
            string part = o == root ? null : partOf(o);
            if (part != null) roots.Add((part, o));
            foreach (object child in Children(o))
            {
                if (child != null && found.Add(child)) search.Enqueue(child);
            }
        }
        roots.Add((rootPart, root));

        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (object e in excluded) seen.Add(e);
        foreach (var (_, r) in roots) seen.Add(r); // each part stops at the others
        var parts = new Dictionary<string, Count>();
        foreach (var (part, start) in roots)
        {
            if (!parts.TryGetValue(part, out Count count)) parts[part] = count = new Count();
            var queue = new Queue<object>();
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                object o = queue.Dequeue();
                count.Objects++;
                count.NanoBytes += NanoSize(o);
                count.HostBytes += HostSize(o);
                foreach (object child in Children(o))
                {
                    if (child != null && seen.Add(child)) queue.Enqueue(child);
                }
            }
        }
        return parts;
    }

    private static bool Opaque(object o) => o is WaitHandle || o is Random || o is Delegate || o is Thread || o is Type || o is MemberInfo;

    private static long RoundToBlocks(long bytes) => (bytes + Block - 1) / Block * Block;

    public static long NanoSize(object o)
    {
        switch (o)
        {
            case string s:
                return string.IsInterned(s) != null ? Block : RoundToBlocks(Block + Encoding.UTF8.GetByteCount(s) + 1);
            case Array a:
                return RoundToBlocks(ArrayHeader + (long)a.Length * ElementBytes(a.GetType().GetElementType()));
            case WaitHandle:
                return 2 * Block; // the managed handle; the native event lives outside the managed heap
            case Random:
                return 2 * Block; // nanoFramework's Random keeps one native seed field
            case Delegate:
                return 3 * Block; // CLR_RT_HeapBlock_Delegate: header, method index, target
            case ArrayList:
                return 3 * Block; // nanoFramework's ArrayList: _items and _size (its array is counted on its own)
        }
        if (Opaque(o)) return Block;
        long fields = 0, boxed = 0;
        foreach (FieldInfo f in InstanceFields(o.GetType()))
        {
            fields++;
            if (IsStruct(f.FieldType)) boxed += Block * (1 + InstanceFields(f.FieldType).Count());
        }
        return Block * (1 + fields) + boxed;
    }

    /// <summary>The same object on 64-bit .NET: 16-byte header (8 for the method table and 8 of sync block), 8-byte
    /// aligned fields, arrays with an 8-byte length; strings are UTF-16.</summary>
    public static long HostSize(object o)
    {
        static long Align(long n) => (n + 7) / 8 * 8;
        switch (o)
        {
            case string s:
                return Align(22 + 2L * s.Length);
            case Array a:
                return Align(24 + (long)a.Length * HostElementBytes(a.GetType().GetElementType()));
        }
        if (Opaque(o)) return 24;
        long bytes = 0;
        foreach (FieldInfo f in InstanceFields(o.GetType())) bytes += HostElementBytes(f.FieldType);
        return Math.Max(24, Align(16 + bytes));
    }

    private static int ElementBytes(Type t)
    {
        if (t == typeof(bool) || t == typeof(byte) || t == typeof(sbyte)) return 1;
        if (t == typeof(char) || t == typeof(short) || t == typeof(ushort)) return 2;
        if (t == typeof(int) || t == typeof(uint) || t == typeof(float) || t.IsEnum) return 4;
        if (t == typeof(long) || t == typeof(ulong) || t == typeof(double)) return 8;
        return Block; // references, DateTime, TimeSpan, structs: one heap block each
    }

    private static int HostElementBytes(Type t)
    {
        if (!t.IsValueType) return 8;
        if (t.IsEnum) return HostElementBytes(Enum.GetUnderlyingType(t));
        if (t.IsPrimitive) return PrimitiveBytes(t);
        return 8 * Math.Max(1, InstanceFields(t).Count());
    }

    private static int PrimitiveBytes(Type t) => t == typeof(bool) || t == typeof(byte) || t == typeof(sbyte) ? 1
        : t == typeof(char) || t == typeof(short) || t == typeof(ushort) ? 2
        : t == typeof(int) || t == typeof(uint) || t == typeof(float) ? 4 : 8;

    private static bool IsStruct(Type t) => t.IsValueType && !t.IsPrimitive && !t.IsEnum && t != typeof(DateTime) && t != typeof(TimeSpan);

    private static readonly Dictionary<Type, FieldInfo[]> FieldCache = new();

    private static IEnumerable<FieldInfo> InstanceFields(Type t)
    {
        lock (FieldCache)
        {
            if (FieldCache.TryGetValue(t, out FieldInfo[] cached)) return cached;
            var list = new List<FieldInfo>();
            for (Type c = t; c != null && c != typeof(object); c = c.BaseType)
                list.AddRange(c.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
            return FieldCache[t] = list.ToArray();
        }
    }

    private static IEnumerable<object> Children(object o)
    {
        if (o is string || Opaque(o)) yield break;
        if (o is ArrayList list)
        {
            // nanoFramework's ArrayList grows like this one: count its backing array at its capacity.
            yield return typeof(ArrayList).GetField("_items", BindingFlags.Instance | BindingFlags.NonPublic).GetValue(list);
            yield break;
        }
        if (o is Array a)
        {
            if (a.GetType().GetElementType().IsValueType) yield break;
            foreach (object e in a) yield return e;
            yield break;
        }
        foreach (FieldInfo f in InstanceFields(o.GetType()))
        {
            if (!f.FieldType.IsValueType) yield return f.GetValue(o);
        }
    }
}
