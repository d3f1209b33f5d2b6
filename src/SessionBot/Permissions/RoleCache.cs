using System.Collections.Concurrent;
using SessionBot.Mattermost;

namespace SessionBot.Permissions;

/// <summary>
/// The permissions a set of system roles grants, read from Mattermost (<c>POST /roles/names</c>) and kept for a
/// short time: admins can edit roles, so they are never assumed from their names.
/// </summary>
public sealed class RoleCache(IMattermostClient mattermost, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, (string[] Permissions, DateTimeOffset Until)> roles = new();

    public async Task<IReadOnlySet<string>> PermissionsOfAsync(IEnumerable<string> roleNames, CancellationToken ct)
    {
        var names = roleNames.Distinct().ToArray();
        var now = time.GetUtcNow();
        var missing = names.Where(n => !roles.TryGetValue(n, out var cached) || cached.Until <= now).ToArray();
        if (missing.Length > 0)
        {
            var fetched = (await mattermost.GetRolesByNamesAsync(missing, ct)).ToDictionary(r => r.Name);
            foreach (var name in missing)
                roles[name] = (fetched.TryGetValue(name, out var role) ? role.Permissions : [], now + Lifetime);
        }
        var permissions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
            permissions.UnionWith(roles[name].Permissions);
        return permissions;
    }
}
