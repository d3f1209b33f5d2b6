using System.Text.Json;
using SessionBot.Commands;

namespace SessionBot.Tests;

public class ManifestTests
{
    private static JsonElement[] Commands()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "SessionBot.sln")))
            dir = dir.Parent;
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.FullName, "manifest", "commands.json")));
        return json.RootElement.GetProperty("commands").EnumerateArray().Select(c => c.Clone()).ToArray();
    }

    [Fact]
    public void TheManifestDefinesExactlyTheFourTriggersWithMethodP()
    {
        var commands = Commands();
        Assert.Equal(Triggers.All.Order(), commands.Select(c => c.GetProperty("trigger").GetString()).Order());
        Assert.All(commands, c => Assert.Equal("P", c.GetProperty("method").GetString()));
    }

    [Fact]
    public void EveryCommandHasWhatRegistrationNeeds()
    {
        foreach (var command in Commands())
        {
            foreach (var field in new[] { "display_name", "description", "auto_complete_hint", "auto_complete_desc" })
                Assert.False(string.IsNullOrWhiteSpace(command.GetProperty(field).GetString()), field);
            Assert.True(command.GetProperty("auto_complete").GetBoolean());
        }
    }
}
