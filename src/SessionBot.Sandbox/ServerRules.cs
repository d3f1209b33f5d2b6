using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionBot.Sandbox;

/// <summary>The server's own permission rules, applied to the bearer token's user.</summary>
public static partial class EmulatorApi
{
    /// <summary>SessionHasPermissionToUser: self; manage_system; edit_other_users when the target is not a system admin.</summary>
    public static bool MayActOnUser(World world, User caller, User target)
    {
        if (caller.Id == target.Id)
            return true;
        var permissions = world.PermissionsOf(caller);
        return permissions.Contains(ManageSystem) || (permissions.Contains(EditOtherUsers) && !target.IsSystemAdmin);
    }

    private static IResult? MayUseToken(World world, User caller, AccessToken token, string permission)
    {
        var permissions = world.PermissionsOf(caller);
        if (!permissions.Contains(permission))
            return Forbidden(permission);
        if (!world.Users.TryGetValue(token.UserId, out var owner))
            return MissingUser();
        if (owner.IsBot && world.Bots.TryGetValue(owner.Id, out var bot) && caller.Id != owner.Id)
        {
            var needed = bot.OwnerId == caller.Id ? ManageBots : ManageOthersBots;
            return permissions.Contains(needed) ? null : Forbidden(needed);
        }
        return MayActOnUser(world, caller, owner) ? null : Forbidden(EditOtherUsers);
    }

    /// <summary>create_post in a channel: its members (a system admin holds every permission).</summary>
    public static bool MayPostIn(World world, User caller, Channel channel) =>
        channel.Members.Contains(caller.Id) || world.PermissionsOf(caller).Contains(ManageSystem);

    /// <summary>Reading a channel: its members, and any team member for a public channel.</summary>
    public static bool MayReadChannel(World world, User caller, Channel channel) =>
        channel.Type == "O" || MayPostIn(world, caller, channel);
}
