using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SessionBot.Configuration;

namespace SessionBot.Endpoints;

/// <summary>
/// Checks the shared secrets Mattermost sends in the form's <c>token</c> field, in constant time. Fails closed:
/// with no token configured, nothing is accepted.
/// </summary>
public sealed class TokenVerifier(IOptionsMonitor<MattermostOptions> options)
{
    /// <summary>True only when <paramref name="token"/> is the token configured for this very trigger.</summary>
    public bool IsCommandToken(string trigger, string? token) =>
        options.CurrentValue.CommandTokens.TryGetValue(trigger, out var expected)
        && Matches(expected, token);

    /// <summary>True when <paramref name="token"/> is one of the configured outgoing-webhook tokens.</summary>
    public bool IsWebhookToken(string? token)
    {
        var matched = false;
        foreach (var expected in options.CurrentValue.WebhookTokens.Values)
            matched |= Matches(expected, token);
        return matched;
    }

    private static bool Matches(string expected, string? presented)
    {
        if (string.IsNullOrEmpty(expected) || string.IsNullOrEmpty(presented))
            return false;
        // Hashing first makes the comparison independent of where, and whether, the lengths differ.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)),
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
    }
}
