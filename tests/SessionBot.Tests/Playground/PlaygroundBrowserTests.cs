using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Playground;

/// <summary>
/// The playground in headless Chromium, against the bot started as <c>dotnet run</c> starts it: what a newcomer
/// does with it, step by step, with a screenshot of each step. Every wait is on a condition of the page.
/// </summary>
[Collection(PlaygroundBrowserCollection.Name)]
public sealed class PlaygroundBrowserTests(PlaygroundBrowser browser, ITestOutputHelper output) : IAsyncLifetime
{
    private PlaygroundHost host = null!;
    private readonly List<IPage> pages = [];

    public async Task InitializeAsync() => host = await PlaygroundHost.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var page in pages)
            await page.Context.CloseAsync();
        await host.DisposeAsync();
    }

    private async Task<IPage> OpenAsync(string query)
    {
        var page = await browser.NewPageAsync();
        pages.Add(page);
        await page.GotoAsync(host.PageUrl + query);
        await Expect(page.Locator("body[data-ready='true']")).ToBeAttachedAsync();
        return page;
    }

    private static async Task SendAsync(IPage page, string text)
    {
        await page.Locator("#message").FillAsync(text);
        await page.Locator("#send").ClickAsync();
    }

    private static ILocator Posts(IPage page) => page.Locator("#posts > li.post");

    [BrowserFact]
    public async Task HelpdeskRevokesBobEverywhereWithAConfirmClick()
    {
        var shots = new Screenshots(output, "revoke-confirm");
        var page = await OpenAsync("?as=hana");
        await page.Locator("#inspect").SelectOptionAsync(BobId);
        await Expect(page.Locator("#sessions")).ToHaveAttributeAsync("data-count", "3");
        await shots.TakeAsync(page, "bob-signed-in-three-times");

        await page.Locator("#message").FillAsync("/rev");
        await Expect(page.Locator("#suggestions li[data-trigger='revoke']")).ToBeVisibleAsync();
        await shots.TakeAsync(page, "suggestions");
        await page.Locator("#message").PressAsync("Tab");
        await Expect(page.Locator("#message")).ToHaveValueAsync("/revoke ");
        await page.Locator("#message").PressSequentiallyAsync("all @bob");
        await page.Locator("#message").PressAsync("Enter");

        var question = Posts(page).Filter(new() { Has = page.Locator("button.action", new() { HasText = "Confirm" }) });
        await Expect(question).ToHaveCountAsync(1);
        await Expect(question).ToContainTextAsync("(Only visible to you)");
        await Expect(question).ToContainTextAsync("3 sessions");
        await shots.TakeAsync(page, "confirmation");

        await question.Locator("button.action", new() { HasText = "Confirm" }).ClickAsync();

        await Expect(Posts(page)).ToHaveCountAsync(2);
        await Expect(Posts(page).Last).ToContainTextAsync("(Only visible to you)");
        await Expect(Posts(page).Last).ToContainTextAsync("bob");
        await Expect(page.Locator("#sessions")).ToHaveAttributeAsync("data-count", "0");
        await Expect(page.Locator("#people-state li[data-user-id='" + BobId + "']")).ToContainTextAsync("0 sessions");
        var notice = page.Locator("#notices li").First;
        await Expect(notice).ToContainTextAsync("hana");
        await Expect(notice).ToContainTextAsync("bob");
        await shots.TakeAsync(page, "bob-signed-out-and-ops-notice");
        lock (host.World.Gate)
            Assert.DoesNotContain(host.World.Sessions.Values, s => s.UserId == BobId);
    }

    [BrowserFact]
    public async Task APlainUserIsRefusedAnotherPersonsSessions()
    {
        var shots = new Screenshots(output, "refused");
        var page = await OpenAsync("?as=dana&inspect=bob");
        await Expect(page.Locator("#sessions")).ToHaveAttributeAsync("data-count", "3");

        await SendAsync(page, "/sessions @bob");

        var reply = Posts(page).Last;
        await Expect(reply).ToContainTextAsync("(Only visible to you)");
        await Expect(reply).ToContainTextAsync("edit_other_users");
        await Expect(reply.Locator("button.action")).ToHaveCountAsync(0);
        await Expect(page.Locator("#sessions")).ToHaveAttributeAsync("data-count", "3");
        await shots.TakeAsync(page, "sessions-of-bob-refused");
        Assert.DoesNotContain(host.World.Requests.All, r => r.Path == $"/api/v4/users/{BobId}/sessions");
    }

    [BrowserFact]
    public async Task ThePersonSignedOutFindsSessionBotsDirectMessageInTheirLanguage()
    {
        var shots = new Screenshots(output, "direct-message");
        var page = await OpenAsync("?as=hana");
        await Expect(page.Locator("#direct-channels")).ToContainTextAsync("None yet");

        await SendAsync(page, "/revoke all @greta --yes");
        await Expect(Posts(page).Last).ToContainTextAsync("out everywhere");
        await Expect(Posts(page).Last).ToContainTextAsync("greta");
        await shots.TakeAsync(page, "hana-signs-greta-out");
        // Hana herself was told nothing.
        await Expect(page.Locator("#direct-channels button")).ToHaveCountAsync(0);

        // Greta's browser was signed out with the rest: she signs in again and finds the message waiting, unread.
        await page.Locator("#person").SelectOptionAsync(GretaId);
        await Expect(page.Locator("#signed-out")).ToBeVisibleAsync();
        await page.Locator("#sign-in").ClickAsync();
        var direct = page.Locator("#channel-dm-sessionbot");
        await Expect(direct).ToHaveClassAsync(new Regex(@"\bunread\b"));
        await Expect(direct.Locator(".unread-count")).ToHaveTextAsync("1");
        await shots.TakeAsync(page, "greta-has-a-direct-message");

        await direct.ClickAsync();
        await Expect(page.Locator("#channel-name")).ToHaveTextAsync("sessionbot");
        var message = Posts(page);
        await Expect(message).ToHaveCountAsync(1);
        await Expect(message.Locator(".post-author")).ToHaveTextAsync("sessionbot");
        await Expect(message.Locator(".tag")).ToHaveTextAsync("BOT");
        await Expect(message).Not.ToContainTextAsync("(Only visible to you)");
        // In German, in her zone (Europe/Berlin), the caller's name rendered as code as Mattermost shows it.
        // (A zero-width joiner follows each ":", so that Mattermost reads no emoji into the time.)
        var at = (@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d " + Regex.Escape(SessionBot.Tests.Sandbox.LanguageAndTimeZoneTests.OffsetIn("Europe/Berlin", DateTimeOffset.UtcNow))).Replace(":", @":\u200D?");
        await Expect(message.Locator(".post-body")).ToContainTextAsync(new Regex("hat Sie am " + at + " überall von Mattermost abgemeldet"));
        await Expect(message.Locator(".post-body code").First).ToHaveTextAsync("@hana");
        await Expect(direct.Locator(".unread-count")).ToHaveCountAsync(0);
        await shots.TakeAsync(page, "greta-reads-it-in-german");

        // The next one arrives while she is in another channel: the page's change feed brings it, counted unread.
        await page.Locator("#channel-town-square").ClickAsync();
        var laptop = host.World.AddSession(GretaId);
        var (status, _) = await host.ExecuteAsync("hana", $"/revoke {laptop.Id} @greta");
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        await Expect(direct.Locator(".unread-count")).ToHaveTextAsync("1");
        await direct.ClickAsync();
        await Expect(message).ToHaveCountAsync(2);
        await Expect(message.Last).ToContainTextAsync("eine Ihrer Mattermost-Sitzungen");
        await shots.TakeAsync(page, "greta-gets-another-one");
    }

    [BrowserFact]
    public async Task AConfirmClickedBySomeoneElseIsRefused()
    {
        var shots = new Screenshots(output, "someone-else-clicks");
        var page = await OpenAsync("?as=hana&channel=ops&inspect=bob");

        // In the ops channel the message goes to SessionBot's outgoing webhook; the answer, buttons and all, comes
        // in the thread, where everyone in the channel sees it.
        await SendAsync(page, "revoke all @bob");
        var answer = page.Locator("#posts > li.post.reply").Filter(new() { Has = page.Locator("button.action", new() { HasText = "Confirm" }) });
        await Expect(answer).ToHaveCountAsync(1);
        await Expect(answer).Not.ToContainTextAsync("(Only visible to you)");
        await shots.TakeAsync(page, "hana-asks-in-the-ops-channel");

        await page.Locator("#person").SelectOptionAsync(UserManagerId);
        await Expect(page.Locator("#person-about")).ToContainTextAsync("user manager");
        await Expect(answer).ToHaveCountAsync(1);
        await shots.TakeAsync(page, "uma-sees-the-thread");
        await answer.Locator("button.action", new() { HasText = "Confirm" }).ClickAsync();

        var refusal = page.Locator("#posts > li.post.ephemeral");
        await Expect(refusal).ToHaveCountAsync(1);
        await Expect(refusal).ToContainTextAsync("Only the person who ran the command can use its buttons.");
        await Expect(refusal).ToContainTextAsync("(Only visible to you)");
        await page.Locator("#inspect").SelectOptionAsync(BobId);
        await Expect(page.Locator("#sessions")).ToHaveAttributeAsync("data-count", "3");
        await shots.TakeAsync(page, "uma-is-refused-bob-untouched");
    }

    [BrowserFact]
    public async Task HostileNamesAreShownAsText()
    {
        var shots = new Screenshots(output, "hostile-names");
        var page = await OpenAsync("?as=hana&inspect=mallory");

        await SendAsync(page, "/sessions @mallory");

        var reply = Posts(page).Last;
        await Expect(reply).ToContainTextAsync("Mal <img src=x onerror=");
        // The encoder breaks the scheme with an invisible joiner: shown as typed, never a link.
        await Expect(reply).ToContainTextAsync(new Regex("javascript:\u200D?alert\\(1\\)"));
        await Expect(reply).ToContainTextAsync("<script>window.__pwned=2</script>");
        await Expect(reply).ToContainTextAsync("[Click here]");
        await Expect(reply.Locator(".post-body img, .post-body script, .post-body a")).ToHaveCountAsync(0);
        await Expect(reply.Locator(".mention[data-mention='channel'], .mention[data-mention='all'], .mention[data-mention='here']")).ToHaveCountAsync(0);
        // The page itself shows the same values as text too: the people list and Mallory's sessions.
        await Expect(page.Locator("#person option[value='" + MalloryId + "']")).ToContainTextAsync("<img src=x");
        await Expect(page.Locator("#sessions")).ToContainTextAsync("<script>window.__pwned=2</script>");
        await Expect(page.Locator("img")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
        await shots.TakeAsync(page, "mallory-as-text");
    }

    [BrowserFact]
    public async Task ThePageLoadsInWellUnderASecond()
    {
        // Once to warm up the emulator and the bot (first requests JIT-compile their code), then measured.
        await OpenAsync("?as=dana");
        var page = await OpenAsync("?as=dana");
        // The posts show (data-ready) before the page has finished everything it does at start: wait for its own mark.
        await page.WaitForFunctionAsync("() => performance.getEntriesByName('playground-ready').length > 0");
        var timing = await page.EvaluateAsync<JsonElement>("""
            () => {
              const nav = performance.getEntriesByType('navigation')[0];
              const ready = performance.getEntriesByName('playground-ready')[0];
              return { dom: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, ready: ready ? ready.startTime : -1 };
            }
            """);
        var (dom, load, ready) = (timing.GetProperty("dom").GetDouble(), timing.GetProperty("load").GetDouble(), timing.GetProperty("ready").GetDouble());
        output.WriteLine($"page load: DOMContentLoaded {dom:0} ms, load {load:0} ms, people, channel and side panel shown {ready:0} ms after navigation start");
        await new Screenshots(output, "page-load").TakeAsync(page, "dana-opens-the-playground");
        Assert.InRange(ready, 0, 5000);
    }
}
