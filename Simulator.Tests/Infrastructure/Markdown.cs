using System.Text.RegularExpressions;

namespace Simulator.Tests.Infrastructure;

/// <summary>The one Markdown reader of the tests: what a page (README.md, docs/lesson.md) shows as commands (the lines
/// of its ```sh blocks and its inline code spans, each exactly as written) and its tables, cell by cell.</summary>
public static class Markdown
{
    /// <summary>Each non-empty line of each ```sh block, as written (trailing comments included: bash ignores them).</summary>
    public static string[] ShLines(string markdown) =>
        Blocks(markdown).Where(b => b.Language == "sh").SelectMany(b => b.Lines).Where(l => l.Trim().Length > 0).ToArray();

    /// <summary>The language word of every fenced block ("" for a plain one), in order.</summary>
    public static string[] FenceLanguages(string markdown) => Blocks(markdown).Select(b => b.Language).ToArray();

    /// <summary>The text of each `inline code` span outside fenced blocks, in order.</summary>
    public static string[] InlineCode(string markdown)
    {
        var spans = new List<string>();
        bool inBlock = false;
        foreach (string raw in markdown.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock) spans.AddRange(CodeSpans(line));
        }
        return spans.ToArray();
    }

    /// <summary>The text of each `code` span in <paramref name="text"/>, in order.</summary>
    public static string[] CodeSpans(string text) => Regex.Matches(text, "`([^`]+)`").Select(m => m.Groups[1].Value).ToArray();

    /// <summary>A table: its header cells and its rows' cells, each trimmed.</summary>
    public sealed record Table(string[] Header, string[][] Rows)
    {
        /// <summary>The index of the first header cell that contains <paramref name="part"/>, or -1.</summary>
        public int Column(string part) => Array.FindIndex(Header, h => h.Contains(part, StringComparison.Ordinal));
    }

    /// <summary>Every table outside fenced blocks: runs of lines starting with '|', the second being the |---| rule.</summary>
    public static Table[] Tables(string markdown)
    {
        var tables = new List<Table>();
        var run = new List<string[]>();
        bool inBlock = false;
        foreach (string raw in (markdown + "\n").Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("```", StringComparison.Ordinal)) inBlock = !inBlock;
            if (!inBlock && line.StartsWith('|'))
            {
                run.Add(line.Trim('|').Split('|').Select(c => c.Trim()).ToArray());
                continue;
            }
            if (run.Count >= 2 && run[1].All(c => c.Trim(':').Length > 0 && c.Trim(':').All(ch => ch == '-')))
                tables.Add(new Table(run[0], run.Skip(2).ToArray()));
            run.Clear();
        }
        return tables.ToArray();
    }

    /// <summary>A line's command without its trailing `  # comment` (what bash runs), trimmed.</summary>
    public static string WithoutComment(string line)
    {
        Match comment = Regex.Match(line, @"\s+#[^'""]*$");
        return (comment.Success ? line[..comment.Index] : line).Trim();
    }

    private static IEnumerable<(string Language, List<string> Lines)> Blocks(string markdown)
    {
        (string Language, List<string> Lines) block = (null, null);
        foreach (string raw in markdown.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                if (block.Lines == null)
                {
                    block = (line.Trim()[3..].Trim(), new List<string>());
                }
                else
                {
                    yield return block;
                    block = (null, null);
                }
                continue;
            }
            block.Lines?.Add(line);
        }
    }
}
