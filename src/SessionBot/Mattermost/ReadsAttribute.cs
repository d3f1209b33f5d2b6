namespace SessionBot.Mattermost;

/// <summary>
/// Marks a Mattermost call that only reads, whatever its HTTP method (<c>POST /users/ids</c> reads): it may be repeated
/// after any failure. An unmarked call changes something and is repeated only when it cannot have taken effect.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadsAttribute : Attribute;
