using Markdig;
using Markdig.Extensions.Emoji;
using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SessionBot.Sandbox.Playground;

/// <summary>
/// Message Markdown to HTML for the playground, close to what Mattermost shows: CommonMark (Markdig) with raw HTML
/// disabled (it is shown as text), a new line as a line break, tables, strikethrough, bare URLs linked, emoji
/// shortcodes as emoji, and <c>@mentions</c> of known users (and <c>@channel</c>, <c>@all</c>, <c>@here</c>)
/// highlighted. Links other than http, https, mailto and tel become text; images become links (nothing is loaded).
/// </summary>
public sealed class PlaygroundMarkdown
{
    private readonly MarkdownPipeline pipeline;

    /// <param name="isUsername">Whether a lower-cased name is a user's, so its mention is highlighted as Mattermost does.</param>
    public PlaygroundMarkdown(Func<string, bool> isUsername)
    {
        pipeline = new MarkdownPipelineBuilder()
            .DisableHtml()
            .UseSoftlineBreakAsHardlineBreak()
            .UsePipeTables()
            .UseEmphasisExtras(Markdig.Extensions.EmphasisExtras.EmphasisExtraOptions.Strikethrough)
            .UseAutoLinks()
            .UseEmojiAndSmiley(EmojiMapping.DefaultEmojisOnlyMapping)
            .UseReferralLinks("noopener", "noreferrer", "nofollow")
            .Use(new MentionExtension(isUsername))
            .Build();
    }

    public string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToArray())
        {
            if (!IsSafe(link.Url))
                Unwrap(link);
            else if (link.IsImage)
                link.IsImage = false;
        }
        foreach (var autolink in document.Descendants<AutolinkInline>().ToArray())
        {
            if (!IsSafe(autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url))
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
        }
        var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        pipeline.Setup(renderer);
        renderer.Render(document);
        return writer.ToString();
    }

    private static bool IsSafe(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto" or "tel";

    /// <summary>Keeps the link's text, drops the link.</summary>
    private static void Unwrap(LinkInline link)
    {
        while (link.FirstChild is { } child)
        {
            child.Remove();
            link.InsertBefore(child);
        }
        link.Remove();
    }

    private sealed class MentionExtension(Func<string, bool> isUsername) : IMarkdownExtension
    {
        public void Setup(MarkdownPipelineBuilder pipeline)
        {
            if (!pipeline.InlineParsers.Contains<MentionParser>())
                pipeline.InlineParsers.Insert(0, new MentionParser(isUsername));
        }

        public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
        {
            if (renderer is HtmlRenderer html && !html.ObjectRenderers.Contains<MentionRenderer>())
                html.ObjectRenderers.Insert(0, new MentionRenderer());
        }
    }

    private sealed class Mention : LeafInline
    {
        public required string Name { get; init; }
    }

    /// <summary><c>@name</c> not inside a word; trailing <c>.-_</c> dropped until a known name remains.</summary>
    private sealed class MentionParser : InlineParser
    {
        private readonly Func<string, bool> isUsername;

        public MentionParser(Func<string, bool> isUsername)
        {
            this.isUsername = isUsername;
            OpeningCharacters = ['@'];
        }

        public override bool Match(InlineProcessor processor, ref StringSlice slice)
        {
            var previous = slice.PeekCharExtra(-1);
            if (previous.IsAlphaNumeric() || previous == '_')
                return false;
            var start = slice.Start + 1;
            var end = start;
            var text = slice.Text;
            while (end <= slice.End && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '.' or '-' or '_'))
                end++;
            var name = text[start..end].ToLowerInvariant();
            while (name.Length > 0 && !IsMentionable(name) && name[^1] is '.' or '-' or '_')
                name = name[..^1];
            if (name.Length == 0 || !IsMentionable(name))
                return false;
            processor.Inline = new Mention { Name = name, Span = new SourceSpan(slice.Start, start + name.Length - 1) };
            slice.Start = start + name.Length;
            return true;
        }

        private bool IsMentionable(string name) => name is "channel" or "all" or "here" || isUsername(name);
    }

    private sealed class MentionRenderer : HtmlObjectRenderer<Mention>
    {
        protected override void Write(HtmlRenderer renderer, Mention mention) =>
            renderer.Write("<span class=\"mention\" data-mention=\"").WriteEscape(mention.Name).Write("\">@").WriteEscape(mention.Name).Write("</span>");
    }
}
