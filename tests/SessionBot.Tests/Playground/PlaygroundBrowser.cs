using Microsoft.Playwright;
using Xunit.Abstractions;

namespace SessionBot.Tests.Playground;

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c> package, never a Playwright download) driven by Playwright, shared by
/// the browser tests. Without Chromium they are skipped, with the reason; under <c>CI=true</c> they run and fail.
/// </summary>
public sealed class PlaygroundBrowser : IAsyncLifetime
{
    /// <summary>Debian's Chromium; <c>SESSIONBOT_CHROMIUM</c> names another binary (or a missing one, to see the skip).</summary>
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("SESSIONBOT_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

    private IPlaywright? playwright;
    private IBrowser? browser;

    public static bool InCi => Environment.GetEnvironmentVariable("CI") == "true";

    /// <summary>Why the browser tests are skipped here; null when they run (Chromium is there, or this is CI).</summary>
    public static string? SkipReason => File.Exists(ChromiumPath) || InCi
        ? null
        : $"{ChromiumPath} is missing: the playground's browser tests are skipped (install it with `apt-get install chromium`; CI installs it and runs them).";

    public IBrowser Browser => browser ?? throw new InvalidOperationException(
        $"Chromium is required for the playground's browser tests and is not at {ChromiumPath} (.ci/run installs it with apt-get).");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            return;
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
            await browser.DisposeAsync();
        playwright?.Dispose();
    }

    /// <summary>A fresh browser context (no shared storage) with a desktop-sized page.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PlaygroundBrowserCollection : ICollectionFixture<PlaygroundBrowser>
{
    public const string Name = "Playground in a browser";
}

/// <summary>A browser test: skipped, with the reason, where Chromium is missing (never on CI).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (PlaygroundBrowser.SkipReason is { } reason)
            Skip = reason;
    }
}

/// <summary>Numbered screenshots of a test's steps, in <c>TestResults/playground/</c> at the repository root.</summary>
public sealed class Screenshots(ITestOutputHelper output, string test)
{
    private int step;

    public static string Folder { get; } = FindFolder();

    public async Task TakeAsync(IPage page, string name)
    {
        var path = Path.Combine(Folder, $"{test}-{++step:00}-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        output.WriteLine($"screenshot: {path}");
    }

    private static string FindFolder()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root.Parent is not null && !File.Exists(Path.Combine(root.FullName, "SessionBot.sln")))
            root = root.Parent;
        var folder = Path.Combine(File.Exists(Path.Combine(root.FullName, "SessionBot.sln")) ? root.FullName : AppContext.BaseDirectory, "TestResults", "playground");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
