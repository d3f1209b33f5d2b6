using System.Net;

namespace SessionBot.Tests;

/// <summary>Reply text as a person reads it: the encoder's backslashes, joiners and character references taken out.</summary>
public static class ReplyText
{
    public static string Plain(string markdown) => WebUtility.HtmlDecode(markdown.Replace("\\", "").Replace("\u200D", ""));
}
