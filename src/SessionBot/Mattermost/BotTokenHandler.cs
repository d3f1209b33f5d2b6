using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using SessionBot.Configuration;

namespace SessionBot.Mattermost;

/// <summary>Adds the bot account's token to every Mattermost call.</summary>
public sealed class BotTokenHandler(IOptions<MattermostOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.BotToken);
        return base.SendAsync(request, ct);
    }
}
