using System.Diagnostics;
using System.Globalization;

namespace IotyDevice.Benchmarks;

/// <summary>Order statistics of a sample (nearest rank), and the formatting the table uses.</summary>
public static class Stats
{
    public static double Median(IReadOnlyList<double> xs) => Percentile(xs, 0.50);

    public static double P99(IReadOnlyList<double> xs) => Percentile(xs, 0.99);

    /// <summary>Nearest-rank percentile: the smallest value with at least <paramref name="p"/> of the sample at or below it.</summary>
    public static double Percentile(IReadOnlyList<double> xs, double p)
    {
        if (xs.Count == 0) return double.NaN;
        double[] sorted = xs.OrderBy(x => x).ToArray();
        int rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double TicksToMicroseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    public static double TicksToMilliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public static string Us(double us) => double.IsNaN(us) ? "n/a" : us.ToString(us < 100 ? "0.0" : "0", CultureInfo.InvariantCulture) + " µs";

    public static string Ms(double ms) => double.IsNaN(ms) ? "n/a" : ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>A difference, with its sign: "+0.21 ms", "−2.07 ms".</summary>
    public static string SignedMs(double ms) => (ms < 0 ? "−" : "+") + Ms(Math.Abs(ms));

    public static string SignedUs(double us) => (us < 0 ? "−" : "+") + Us(Math.Abs(us));

    public static string Bytes(double b) => double.IsNaN(b) ? "n/a" : b.ToString(Math.Abs(b) < 10 && b != Math.Floor(b) ? "0.00" : "0", CultureInfo.InvariantCulture) + " B";

    public static string SignedBytes(double b) => (b < 0 ? "−" : "+") + Bytes(Math.Abs(b));

    public static string MiB(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    public static string Ratio(double r) => double.IsNaN(r) ? "n/a" : "×" + r.ToString("0.00", CultureInfo.InvariantCulture);

    public static string N(double v, string format = "0") => v.ToString(format, CultureInfo.InvariantCulture);
}
