using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SessionBot.Actions;

/// <summary>
/// What a button does, bound to the person who may click it and an expiry, and signed with HMAC-SHA256
/// (<c>Bot:ActionSecret</c>). Mattermost sends no signature with a click: anyone who can reach the bot could forge
/// one, so the bot signs the context itself.
/// </summary>
public sealed record SignedAction
{
    /// <summary>A <see cref="BotAction.Name"/>, or <see cref="BotAction.CancelName"/>.</summary>
    [JsonPropertyName("a")] public required string Action { get; init; }
    [JsonPropertyName("t")] public string[] TargetIds { get; init; } = [];
    /// <summary>A session id, for one-session revokes.</summary>
    [JsonPropertyName("d")] public string Detail { get; init; } = "";
    [JsonPropertyName("u")] public required string RequesterId { get; init; }
    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("e")] public long ExpiresAt { get; init; }
    /// <summary>One use: Confirm and Cancel of one question share it.</summary>
    [JsonPropertyName("n")] public required string Nonce { get; init; }
    [JsonPropertyName("s")] public string Signature { get; init; } = "";
    /// <summary>
    /// The <c>--reason</c> the question was asked with, carried to the click and signed with the rest. Absent (null)
    /// without one, which is also how buttons sent before reasons existed arrive: their signatures hold as before.
    /// </summary>
    [JsonPropertyName("r"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? GivenReason { get; init; }

    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public SignedAction SignWith(string secret) => this with { Signature = Compute(secret) };

    /// <summary>Constant-time check that nothing in the action was changed since it was signed with this secret.</summary>
    public bool IsSignedWith(string secret)
    {
        byte[] presented;
        try
        {
            presented = Convert.FromBase64String(Signature);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(presented, Convert.FromBase64String(Compute(secret)));
    }

    private string Compute(string secret)
    {
        // Fields joined with a separator no field can contain (ids, nonces and action names have no newline; a context
        // whose fields do is refused by FromContext). The reason, when there is one, comes last, so a button without one
        // is signed exactly as before reasons existed.
        var canonical = string.Join('\n', Action, string.Join(',', TargetIds), Detail, RequesterId, ExpiresAt, Nonce);
        if (!string.IsNullOrEmpty(GivenReason))
            canonical += "\n" + GivenReason;
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Reads a context Mattermost sent back; null when it is not one of ours.</summary>
    public static SignedAction? FromContext(JsonElement context)
    {
        try
        {
            var action = context.Deserialize(ActionJson.Default.SignedAction);
            return action is { Action.Length: > 0, RequesterId.Length: > 0, Nonce.Length: > 0, Signature.Length: > 0 } && !action.TargetIds.Any(t => t is null)
                && !new[] { action.Action, action.Detail ?? "", action.RequesterId, action.Nonce }.Concat(action.TargetIds).Any(field => field.Contains('\n'))
                ? action
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }
}
