using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SessionBot.Tests.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Contract;

/// <summary>
/// The calls Mattermost's own clients make (the playground makes them too), checked against the official OpenAPI
/// text as the bot's calls are: the operation exists, the request fits, the emulator's success body has the
/// declared fields and types.
/// </summary>
public sealed class ClientEndpointContractTests : IAsyncLifetime
{
    /// <summary>Where the emulator follows the server and the copied spec says otherwise or nothing.</summary>
    private static readonly Dictionary<string, string> KnownSpecGaps = new Dictionary<string, string>
    {
        ["POST /api/v4/commands/execute request.team_id"] = "model.CommandArgs takes team_id and root_id (api4/command.go executeCommand); the spec lists channel_id and command only",
        ["POST /api/v4/commands/execute request.root_id"] = "as team_id",
        ["StatusOK.trigger_id"] = "a click is answered with model.PostActionAPIResponse: status and trigger_id",
        ["User.is_bot"] = "as in ContractTests",
        ["User.position"] = "as in ContractTests",
        ["User.auth_data"] = "as in ContractTests",
        ["User.timezone.automaticTimezone"] = "as in ContractTests",
        ["User.timezone.manualTimezone"] = "as in ContractTests",
        ["User.timezone.useAutomaticTimezone"] = "as in ContractTests",
    }.Concat(new[] { "response_type", "text", "username", "channel_id", "icon_url", "type", "props", "goto_location", "trigger_id", "skip_slack_parsing", "attachments", "extra_responses" }
        .Select(field => KeyValuePair.Create("CommandResponse." + field, "the spec's CommandResponse names the Go fields (ResponseType, …); the server sends their JSON names (model.CommandResponse)")))
        .ToDictionary();

    /// <summary>Operations in spec files that the shared copy does not include.</summary>
    private static readonly string[] NotInTheCopiedSpec = ["GET /api/v4/users/me/teams", "GET /api/v4/teams/{team_id}/commands/autocomplete"];

    private readonly OpenApiSpec spec = OpenApiSpec.Load();
    private EmulatorWithIntegration sandbox = null!;
    private readonly List<(string Method, string Path, string Request, int Status, string Response)> exchanges = [];

    public async Task InitializeAsync()
    {
        sandbox = await EmulatorWithIntegration.StartAsync();
        sandbox.Integration.Respond = http => http.Path().StartsWith("/actions")
            ? http.Response.WriteAsJsonAsync(new { ephemeral_text = "done" })
            : http.Response.WriteAsJsonAsync(new
            {
                response_type = "in_channel",
                text = "Sure?",
                attachments = new[] { new { actions = new[] { new { id = "confirm", name = "Confirm", type = "button", integration = new { url = sandbox.Integration.Url + "/actions", context = new { x = "1" } } } } } },
            });
    }

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    private async Task<JsonElement> CallAsync(HttpMethod method, string path, object? body = null)
    {
        using var client = new HttpClient { BaseAddress = new Uri(sandbox.Server.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SessionTokenOf("hana"));
        var request = body is null ? "" : JsonSerializer.Serialize(body);
        using var message = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(request, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        exchanges.Add((method.Method, path.Split('?')[0], request, (int)response.StatusCode, text));
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task CallEveryClientEndpointAsync()
    {
        await CallAsync(HttpMethod.Get, "/api/v4/users/me");
        await CallAsync(HttpMethod.Get, "/api/v4/users/me/teams");
        await CallAsync(HttpMethod.Get, $"/api/v4/users/me/teams/{TeamId}/channels");
        await CallAsync(HttpMethod.Get, $"/api/v4/channels/{TownSquareId}");
        await CallAsync(HttpMethod.Get, $"/api/v4/teams/{TeamId}/commands/autocomplete");
        await CallAsync(HttpMethod.Post, "/api/v4/commands/execute", new { channel_id = TownSquareId, team_id = TeamId, command = "/sessions @bob", root_id = "" });
        var posts = await CallAsync(HttpMethod.Get, $"/api/v4/channels/{TownSquareId}/posts");
        var postId = posts.GetProperty("order")[0].GetString();
        await CallAsync(HttpMethod.Post, $"/api/v4/posts/{postId}/actions/confirm", new { selected_option = "", cookie = "" });
        await CallAsync(HttpMethod.Post, "/api/v4/posts", new { channel_id = TownSquareId, message = "hello" });
    }

    [Fact]
    public async Task EveryClientCallExistsInTheSpecAndItsBodiesFit()
    {
        await CallEveryClientEndpointAsync();
        var problems = new List<string>();
        foreach (var exchange in exchanges)
        {
            var found = spec.Find(exchange.Method, exchange.Path);
            if (found is null)
            {
                if (!NotInTheCopiedSpec.Any(k => Matches(k, exchange.Method, exchange.Path)))
                    problems.Add($"{exchange.Method} {exchange.Path}: no such operation in the spec");
                continue;
            }
            if (exchange.Request.Length > 0 && spec.RequestSchema(found.Value.Operation) is { } requestSchema)
                problems.AddRange(spec.Check(requestSchema, JsonDocument.Parse(exchange.Request).RootElement, $"{exchange.Method} {found.Value.Template} request"));
            if (spec.ResponseSchema(found.Value.Operation, exchange.Status) is { } responseSchema)
                problems.AddRange(spec.Check(responseSchema, JsonDocument.Parse(exchange.Response).RootElement, SchemaName(responseSchema)));
        }
        problems.RemoveAll(p => KnownSpecGaps.ContainsKey(FieldOf(p)));
        Assert.Empty(problems);
    }

    private static bool Matches(string template, string method, string path)
    {
        var parts = template.Split(' ');
        if (parts[0] != method)
            return false;
        var want = parts[1].Split('/');
        var got = path.Split('/');
        return want.Length == got.Length && want.Zip(got).All(p => p.First.StartsWith('{') || p.First == p.Second);
    }

    private static string SchemaName(object? schema) => schema switch
    {
        Dictionary<object, object> map when map.TryGetValue("$ref", out var r) => ((string)r).Split('/').Last(),
        Dictionary<object, object> map when map.TryGetValue("items", out var items) => SchemaName(items),
        _ => "body",
    };

    /// <summary>"Channel[0].type: not in the spec" → "Channel.type".</summary>
    private static string FieldOf(string problem) =>
        System.Text.RegularExpressions.Regex.Replace(problem[..problem.IndexOf(": ", StringComparison.Ordinal)], @"\[\d+\]", "");
}

file static class HttpContextPath
{
    public static string Path(this HttpContext http) => http.Request.Path.Value ?? "";
}
