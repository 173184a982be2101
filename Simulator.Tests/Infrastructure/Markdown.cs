using System.Text.RegularExpressions;

namespace Simulator.Tests.Infrastructure;

/// <summary>The commands a Markdown page (README.md, docs/lesson.md) shows: the lines of its ```sh blocks and its
/// inline code spans, each exactly as written.</summary>
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
            if (!inBlock) spans.AddRange(Regex.Matches(line, "`([^`]+)`").Select(m => m.Groups[1].Value));
        }
        return spans.ToArray();
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
