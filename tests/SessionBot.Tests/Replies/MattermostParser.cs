using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SessionBot.Tests.Replies;

/// <summary>
/// Mattermost's own Markdown parser (<c>@mattermost/commonmark</c>, the fork its apps use), run by node from
/// <c>tests/markdown</c>: <c>npm ci</c> there installs it. One node process parses a whole batch.
/// </summary>
public static class MattermostParser
{
    public static readonly string Folder = Path.Combine(RepositoryRoot(), "tests", "markdown");

    /// <summary>CI (<c>CI=true</c>) runs these tests whatever happens: there a missing node or package fails them.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the parser cannot run here, or null when it can.</summary>
    public static string? Unavailable =>
        FindNode() is null ? "node is not installed (on the PATH)"
        : !File.Exists(Path.Combine(Folder, "node_modules", "@mattermost", "commonmark", "package.json")) ? $"@mattermost/commonmark is not installed: run `npm ci` in {Folder}"
        : null;

    /// <summary>Parses each text; the trees come back in the same order.</summary>
    public static IReadOnlyList<MarkdownNode> Parse(IReadOnlyList<string> texts)
    {
        if (Unavailable is { } reason)
            throw new InvalidOperationException($"Mattermost's Markdown parser cannot run: {reason}.");
        var start = new ProcessStartInfo(FindNode()!, "parse.js")
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        node.StandardInput.Write(JsonSerializer.Serialize(texts));
        node.StandardInput.Close();
        if (!node.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            node.Kill();
            throw new TimeoutException("node parse.js did not finish within 2 minutes.");
        }
        if (node.ExitCode != 0)
            throw new InvalidOperationException($"node parse.js failed ({node.ExitCode}): {errors.Result}");
        var trees = JsonSerializer.Deserialize<List<MarkdownNode>>(output.Result, Json)!;
        Assert.Equal(texts.Count, trees.Count);
        return trees;
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static string? FindNode()
    {
        var names = OperatingSystem.IsWindows() ? new[] { "node.exe" } : ["node"];
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(folder => names.Select(name => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "SessionBot.sln")))
                return folder.FullName;
        }
        throw new InvalidOperationException($"SessionBot.sln not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>One node of the parsed tree, as <c>tests/markdown/parse.js</c> prints it.</summary>
public sealed record MarkdownNode(string Type)
{
    public string? Literal { get; init; }
    public string? Destination { get; init; }
    public string? Info { get; init; }
    public string? Mention { get; init; }
    public string? Channel { get; init; }
    public string? Emoji { get; init; }
    public string? Hashtag { get; init; }
    public string? Latex { get; init; }
    [JsonPropertyName("children")] public IReadOnlyList<MarkdownNode> Children { get; init; } = [];

    public IEnumerable<MarkdownNode> DescendantsAndSelf() => Children.SelectMany(c => c.DescendantsAndSelf()).Prepend(this);

    public override string ToString() => Type + (Literal ?? Mention ?? Channel ?? Emoji ?? Hashtag ?? Latex ?? Destination) switch
    {
        null => "",
        var detail => $" {JsonSerializer.Serialize(detail)}",
    };
}

/// <summary>A fact that needs Mattermost's parser: skipped, with the reason, where node or the package is missing, except in CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MattermostParserFactAttribute : FactAttribute
{
    public MattermostParserFactAttribute()
    {
        if (!MattermostParser.InCi && MattermostParser.Unavailable is { } reason)
            Skip = reason + " (CI runs this test: .ci/run installs it).";
    }
}

/// <summary>A theory that needs Mattermost's parser; see <see cref="MattermostParserFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MattermostParserTheoryAttribute : TheoryAttribute
{
    public MattermostParserTheoryAttribute()
    {
        if (!MattermostParser.InCi && MattermostParser.Unavailable is { } reason)
            Skip = reason + " (CI runs this test: .ci/run installs it).";
    }
}
