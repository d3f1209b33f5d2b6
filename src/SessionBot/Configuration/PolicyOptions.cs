using Microsoft.Extensions.Options;

namespace SessionBot.Configuration;

/// <summary>Section <c>Policy</c>: accounts no command may act on.</summary>
public sealed record PolicyOptions
{
    public const string Section = "Policy";
    /// <summary>User ids, usernames (with or without '@') or email addresses.</summary>
    public List<string> ProtectedUsers { get; init; } = [];
    /// <summary>Most targets one command may name.</summary>
    public int MaxTargets { get; init; } = 25;
    /// <summary>
    /// Acting on someone else needs <c>--reason</c>: without one, the usage reply and nothing done. Self-service never
    /// needs one (docs/product.md#reasons).
    /// </summary>
    public bool RequireReason { get; init; }

    /// <summary>A protected-user entry as the policy compares it (lower-case id, username or email); null when it is none of them.</summary>
    public static string? Normalize(string entry) =>
        Commands.CommandParser.ParseTarget(entry.Trim()) is { Kind: not Commands.TargetKind.Me } target ? target.Value : null;
}

public sealed class PolicyOptionsValidator : IValidateOptions<PolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        var errors = new List<string>();
        if (options.MaxTargets is < 1 or > 200)
            errors.Add("Policy:MaxTargets is invalid: it must be from 1 to 200.");
        // An entry that names nobody would protect nobody while looking as if it did.
        for (var i = 0; i < options.ProtectedUsers.Count; i++)
        {
            if (PolicyOptions.Normalize(options.ProtectedUsers[i]) is null)
                errors.Add($"Policy:ProtectedUsers:{i} is invalid: '{options.ProtectedUsers[i]}' is not a user id, a username or an email address.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
