using SessionBot.Mattermost;

namespace SessionBot.Commands;

/// <summary>The users a command names, resolved with as few parallel look-ups as possible.</summary>
public sealed record ResolvedUsers(MattermostUser? Caller, IReadOnlyDictionary<TargetRef, MattermostUser?> Targets)
{
    public MattermostUser? this[TargetRef target] => Targets.GetValueOrDefault(target);
}

/// <summary>
/// Finds the caller and the targets in one round trip: ids (the caller's, typed ids, and the ids Mattermost sent for
/// @mentions) in one bulk call, remaining usernames in another, emails one by one — all at the same time.
/// </summary>
public sealed class UserDirectory(IMattermostClient mattermost)
{
    /// <param name="mentionIds">Username (lower-case) → user id, from the request's <c>user_mentions</c> / <c>user_mentions_ids</c>.</param>
    public async Task<ResolvedUsers> ResolveAsync(string callerId, bool needCaller, IReadOnlyCollection<TargetRef> targets,
        IReadOnlyDictionary<string, string> mentionIds, CancellationToken ct)
    {
        var ids = new HashSet<string>();
        var usernames = new HashSet<string>();
        var emails = new HashSet<string>();
        // "me" alone needs no look-up: the caller's id and name come with the request.
        if (needCaller)
            ids.Add(callerId);
        foreach (var target in targets)
        {
            switch (target.Kind)
            {
                case TargetKind.Me:
                    break;
                case not TargetKind.Email when KnownId(target, callerId, mentionIds) is { } id:
                    ids.Add(id);
                    break;
                case TargetKind.Username:
                    usernames.Add(target.Value);
                    break;
                case TargetKind.Email:
                    emails.Add(target.Value);
                    break;
            }
        }

        var byIds = mattermost.GetUsersByIdsAsync(ids, ct);
        var byNames = mattermost.GetUsersByUsernamesAsync(usernames, ct);
        var byEmails = emails.Select(email => FindByEmailAsync(email, ct)).ToArray();
        await Task.WhenAll([byIds, byNames, .. byEmails]);

        var found = (await byIds).Concat(await byNames).Concat(byEmails.Select(t => t.Result).OfType<MattermostUser>()).ToList();
        var byId = found.GroupBy(u => u.Id).ToDictionary(g => g.Key, g => g.First());
        var byUsername = found.GroupBy(u => u.Username.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First());
        var byEmail = found.Where(u => u.Email.Length > 0).GroupBy(u => u.Email.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First());

        var caller = byId.GetValueOrDefault(callerId);
        var resolved = targets.Distinct().ToDictionary(t => t, t => t.Kind switch
        {
            TargetKind.Me => caller,
            TargetKind.UserId => byId.GetValueOrDefault(t.Value),
            TargetKind.Username => byUsername.GetValueOrDefault(t.Value),
            TargetKind.Email => byEmail.GetValueOrDefault(t.Value),
            _ => null,
        });
        return new ResolvedUsers(caller, resolved);
    }

    /// <summary>The user id a target stands for when it is known without a look-up: "me", a typed id, a mention Mattermost resolved.</summary>
    public static string? KnownId(TargetRef target, string callerId, IReadOnlyDictionary<string, string> mentionIds) => target.Kind switch
    {
        TargetKind.Me => callerId,
        TargetKind.UserId => target.Value,
        TargetKind.Username => mentionIds.GetValueOrDefault(target.Value),
        _ => null,
    };

    private async Task<MattermostUser?> FindByEmailAsync(string email, CancellationToken ct)
    {
        try
        {
            return await mattermost.GetUserByEmailAsync(email, ct);
        }
        catch (MattermostException e) when (e.IsNotFound || e.StatusCode == 400)
        {
            return null;
        }
    }
}
