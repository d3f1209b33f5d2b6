using System.Net;
using System.Text.Json;

namespace SessionBot.Tests;

/// <summary>Replies as people read them: the encoder's backslashes, joiners and character references taken out.</summary>
public static class ReplyText
{
    public static string Plain(string markdown) => WebUtility.HtmlDecode(markdown.Replace("\\", "").Replace("\u200D", ""));

    /// <summary>A string property of a JSON reply (a CommandResponse's <c>text</c>, a click's <c>ephemeral_text</c>), as read.</summary>
    public static string Plain(JsonElement reply, string property = "text") => Plain(reply.GetProperty(property).GetString()!);
}
