using System.Security.Cryptography;
using System.Text;

namespace SessionBot.Sandbox;

/// <summary>The server settings the emulator's integration behaviour reads (a few of Mattermost's ServiceSettings).</summary>
public sealed class ServerSettings
{
    /// <summary>The base of every <c>response_url</c>; set to the emulator's own address when it starts.</summary>
    public string SiteUrl { get; set; } = "";

    /// <summary>
    /// Off by default on a real server; on in the sandbox, so replies show the command's <c>username</c>
    /// (<c>sessionbot</c>) as Mattermost shows them where an admin turned it on.
    /// </summary>
    public bool EnablePostUsernameOverride { get; set; } = true;

    public bool EnablePostIconOverride { get; set; }

    /// <summary><c>ServiceSettings.OutgoingIntegrationRequestsTimeout</c>: how long a command, a click or a webhook may take.</summary>
    public TimeSpan OutgoingIntegrationRequestsTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>What a command's <c>response_url</c> stands for: who ran which command where (the server's CommandWebhook).</summary>
public sealed record CommandWebhook(string Id, string CommandId, string UserId, string ChannelId, string RootId, long CreateAt)
{
    /// <summary>The server forgets a command's response URL after 30 minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
}

/// <summary>An outgoing webhook: a post in <see cref="ChannelId"/> whose first word is a trigger word is sent to the callbacks.</summary>
public sealed class OutgoingWebhook
{
    public required string Id { get; init; }
    public required string Token { get; set; }
    public required string TeamId { get; init; }
    /// <summary>Empty: every public channel of the team.</summary>
    public string ChannelId { get; init; } = "";
    public required string CreatorId { get; init; }
    public IReadOnlyList<string> TriggerWords { get; init; } = [];
    /// <summary>0: the first word equals a trigger word; 1: it starts with one.</summary>
    public int TriggerWhen { get; init; }
    public IReadOnlyList<string> CallbackUrls { get; init; } = [];
    /// <summary><c>application/x-www-form-urlencoded</c> (the default) or <c>application/json</c>.</summary>
    public string ContentType { get; init; } = "application/x-www-form-urlencoded";
    public string DisplayName { get; init; } = "";
    public string Username { get; init; } = "";
    public string IconUrl { get; init; } = "";

    /// <summary>The trigger word this first word fires, or null (HandleWebhookEvents: exact or prefix match).</summary>
    public string? TriggerFor(string firstWord) => TriggerWhen == 0
        ? TriggerWords.FirstOrDefault(w => w == firstWord)
        : TriggerWords.FirstOrDefault(w => w.Length > 0 && firstWord.StartsWith(w, StringComparison.Ordinal));
}

/// <summary>What the server does for its own clients: runs commands, clicks and webhooks against integrations.</summary>
public sealed partial class World
{
    public ServerSettings Settings { get; } = new();
    public List<OutgoingWebhook> OutgoingWebhooks { get; } = [];
    public Dictionary<string, CommandWebhook> CommandWebhooks { get; } = [];

    private readonly ECDsa triggerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>
    /// A trigger id as GenerateTriggerId makes one: the integration gets <c>TriggerId</c>, base64 of
    /// <c>clientId:userId:millis:signature</c> signed with the server's key; the client gets <c>ClientTriggerId</c>.
    /// </summary>
    public (string ClientTriggerId, string TriggerId) NewTriggerId(string userId)
    {
        var clientId = NewId();
        var data = $"{clientId}:{userId}:{Now}:";
        var signature = triggerKey.SignData(Encoding.UTF8.GetBytes(data), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return (clientId, Convert.ToBase64String(Encoding.UTF8.GetBytes(data + Convert.ToBase64String(signature))));
    }

    /// <summary>A <c>/hooks/commands/{id}</c> URL for this run of the command.</summary>
    public CommandWebhook NewCommandWebhook(string commandId, string userId, string channelId, string rootId)
    {
        lock (Gate)
        {
            var hook = new CommandWebhook(NewId(), commandId, userId, channelId, rootId, Now);
            CommandWebhooks[hook.Id] = hook;
            return hook;
        }
    }

    private readonly object backgroundGate = new();
    private int backgroundRunning;
    private TaskCompletionSource backgroundIdle = Completed();

    /// <summary>Work the server does after answering (outgoing webhooks): tracked so tests can wait for it.</summary>
    public void RunInBackground(Func<Task> work)
    {
        lock (backgroundGate)
        {
            if (backgroundRunning++ == 0)
                backgroundIdle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await work();
            }
            finally
            {
                lock (backgroundGate)
                {
                    if (--backgroundRunning == 0)
                        backgroundIdle.TrySetResult();
                }
            }
        });
    }

    /// <summary>Completes when no background work is running.</summary>
    public Task BackgroundIdleAsync()
    {
        lock (backgroundGate)
            return backgroundIdle.Task;
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
