using Microsoft.Extensions.Options;

namespace SessionBot.Configuration;

/// <summary>Section <c>Mattermost</c>: where the server is and which secrets prove a request came from it.</summary>
public sealed record MattermostOptions
{
    public const string Section = "Mattermost";
    public string Url { get; init; } = "";
    public string BotToken { get; init; } = "";
    /// <summary>Trigger (without slash) → the token Mattermost issued for that command.</summary>
    public Dictionary<string, string> CommandTokens { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Outgoing-webhook tokens (any key).</summary>
    public Dictionary<string, string> WebhookTokens { get; init; } = [];
    public string? OpsChannelId { get; init; }
    /// <summary>
    /// The channels webhook commands are taken from (default: the ops channel). A webhook with trigger words but no
    /// channel fires in every public channel, and its replies are public.
    /// </summary>
    public List<string> WebhookChannelIds { get; init; } = [];
    /// <summary>
    /// Triggers accepted by GET (commands registered with method G). None by default: a GET carries the command's
    /// token in the query string, which proxies and request logs keep.
    /// </summary>
    public List<string> GetTriggers { get; init; } = [];
    /// <summary>Per-call timeout for Mattermost REST calls.</summary>
    public double TimeoutSeconds { get; init; } = 10;

    /// <summary><see cref="WebhookChannelIds"/>, or the ops channel when none is listed; empty when neither is set.</summary>
    public IReadOnlyList<string> WebhookChannels =>
        WebhookChannelIds.Count > 0 ? WebhookChannelIds : string.IsNullOrWhiteSpace(OpsChannelId) ? [] : [OpsChannelId];

    /// <summary>Whether a GET for this trigger (lower case, no slash) is taken.</summary>
    public bool TakesGet(string trigger) => GetTriggers.Contains(trigger, StringComparer.OrdinalIgnoreCase);
}

/// <summary>Section <c>Policy</c>: accounts no command may act on.</summary>
public sealed record PolicyOptions
{
    public const string Section = "Policy";
    /// <summary>User ids, usernames (with or without '@') or email addresses.</summary>
    public List<string> ProtectedUsers { get; init; } = [];

    /// <summary>A protected-user entry as the policy compares it (lower-case id, username or email); null when it is none of them.</summary>
    public static string? Normalize(string entry) =>
        Commands.CommandParser.ParseTarget(entry.Trim()) is { Kind: not Commands.TargetKind.Me } target ? target.Value : null;
    /// <summary>Most targets one command may name.</summary>
    public int MaxTargets { get; init; } = 25;
    /// <summary>
    /// Acting on someone else needs <c>--reason</c>: without one, the usage reply and nothing done. Self-service never
    /// needs one (docs/product.md#reasons).
    /// </summary>
    public bool RequireReason { get; init; }
}

/// <summary>Section <c>Notify</c>: the direct message to the person someone else acted on (docs/product.md#notices).</summary>
public sealed record NotifyOptions
{
    public const string Section = "Notify";
    /// <summary>Most characters of <see cref="Contact"/>.</summary>
    public const int MaxContactLength = 1000;
    /// <summary>Whether the bot sends those messages at all (default: it does).</summary>
    public bool AffectedPeople { get; init; } = true;
    /// <summary>
    /// Markdown the operator writes, added to each message as it is (not escaped: it may link a channel or a page),
    /// e.g. <c>Questions: ~it-help</c>. None by default.
    /// </summary>
    public string? Contact { get; init; }
}

/// <summary>Section <c>Templates</c>: an optional folder whose <c>.sbn</c> files replace the built-in reply templates of the same name.</summary>
public sealed record TemplateOptions
{
    public const string Section = "Templates";
    public string? Directory { get; init; }
}

/// <summary>Fails start-up naming the key that is missing or wrong.</summary>
public sealed class MattermostOptionsValidator : IValidateOptions<MattermostOptions>
{
    public ValidateOptionsResult Validate(string? name, MattermostOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Url))
            errors.Add("Mattermost:Url is missing: set it to the Mattermost server's base URL, e.g. https://chat.example.com.");
        else if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            errors.Add("Mattermost:Url is invalid: it must be an absolute http or https URL.");
        if (string.IsNullOrWhiteSpace(options.BotToken))
            errors.Add("Mattermost:BotToken is missing: set it to the bot account's access token.");
        if (options.TimeoutSeconds is <= 0 or > 30)
            errors.Add("Mattermost:TimeoutSeconds is invalid: it must be more than 0 and at most 30.");
        foreach (var (trigger, token) in options.CommandTokens)
        {
            if (!Commands.Triggers.All.Contains(trigger.ToLowerInvariant()))
                errors.Add($"Mattermost:CommandTokens:{trigger} is invalid: the triggers are {string.Join(", ", Commands.Triggers.All)}.");
            else if (string.IsNullOrWhiteSpace(token))
                errors.Add($"Mattermost:CommandTokens:{trigger} is empty.");
        }
        foreach (var channel in options.WebhookChannelIds.Where(id => !Commands.CommandParser.IsId(id)))
            errors.Add($"Mattermost:WebhookChannelIds is invalid: '{channel}' is not a channel id (26 lower-case letters and digits; a channel's id, not its name).");
        if (options.WebhookTokens.Values.Any(t => !string.IsNullOrWhiteSpace(t)) && options.WebhookChannels.Count == 0)
            errors.Add("Mattermost:WebhookTokens are set but no channel takes webhook commands: set Mattermost:WebhookChannelIds, or Mattermost:OpsChannelId (its default).");
        foreach (var trigger in options.GetTriggers.Where(t => !Commands.Triggers.All.Contains(t.ToLowerInvariant())))
            errors.Add($"Mattermost:GetTriggers is invalid: '{trigger}' is not a trigger; the triggers are {string.Join(", ", Commands.Triggers.All)}.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
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

public sealed class NotifyOptionsValidator : IValidateOptions<NotifyOptions>
{
    public ValidateOptionsResult Validate(string? name, NotifyOptions options) => options.Contact is { Length: > NotifyOptions.MaxContactLength }
        ? ValidateOptionsResult.Fail($"Notify:Contact is invalid: it is {options.Contact.Length} characters long; keep it to at most {NotifyOptions.MaxContactLength}.")
        : ValidateOptionsResult.Success;
}

/// <summary>Fails start-up when the folder is missing, or a template in it does not parse or would be ignored.</summary>
public sealed class TemplateOptionsValidator : IValidateOptions<TemplateOptions>
{
    public ValidateOptionsResult Validate(string? name, TemplateOptions options)
    {
        if (options.Directory is { Length: > 0 } dir && !System.IO.Directory.Exists(dir))
            return ValidateOptionsResult.Fail($"Templates:Directory is invalid: the folder '{dir}' does not exist.");
        var problems = Replies.ReplyTemplates.Problems(options.Directory);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
