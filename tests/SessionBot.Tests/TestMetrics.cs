using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SessionBot.Metrics;

namespace SessionBot.Tests;

/// <summary>The bot's meter for pieces a test builds by hand; nothing listens unless the test does.</summary>
public static class TestMetrics
{
    public static BotMetrics Create() => new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
}
