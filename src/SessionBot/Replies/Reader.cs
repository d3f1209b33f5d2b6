namespace SessionBot.Replies;

/// <summary>
/// Who reads a reply, a parameter of every render: everyone in the channel (a post: an outgoing webhook's answer, an
/// ops-channel notice), where usernames stand in code spans so that naming someone notifies nobody; or one person (an
/// ephemeral reply to a slash command or a click).
/// </summary>
public sealed record Reader(bool IsPublic)
{
    /// <summary>A post everyone in the channel sees.</summary>
    public static readonly Reader Public = new(IsPublic: true);

    /// <summary>An ephemeral reply only the person who asked sees.</summary>
    public static readonly Reader Person = new(IsPublic: false);

    /// <summary>The reader of a command's replies.</summary>
    public static Reader Of(Commands.Audience audience) => audience == Commands.Audience.Channel ? Public : Person;
}
