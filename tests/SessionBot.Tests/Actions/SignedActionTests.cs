using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SessionBot.Actions;

namespace SessionBot.Tests.Actions;

/// <summary>The signed button context (<see cref="SignedAction"/>) with the reason it carries.</summary>
public class SignedActionTests
{
    private const string Secret = "test-action-secret-0123456789abcdef";

    private static SignedAction Action(string? reason = null) => new()
    {
        Action = "revoke-all",
        TargetIds = ["bob0000000000000000000000b"],
        RequesterId = "caller00000000000000000001",
        ExpiresAt = 1_800_000_000,
        Nonce = "0123456789abcdef0123456789abcdef",
        GivenReason = reason,
    };

    [Fact]
    public void AButtonSentBeforeReasonsExistedStillVerifies()
    {
        // The context as buttons were made before: no "r", signed over the six fields alone.
        var canonical = "revoke-all\nbob0000000000000000000000b\n\ncaller00000000000000000001\n1800000000\n0123456789abcdef0123456789abcdef";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(canonical)));
        var old = JsonSerializer.SerializeToElement(new
        {
            a = "revoke-all",
            t = new[] { "bob0000000000000000000000b" },
            d = "",
            u = "caller00000000000000000001",
            e = 1_800_000_000L,
            n = "0123456789abcdef0123456789abcdef",
            s = signature,
        });

        var read = SignedAction.FromContext(old);

        Assert.NotNull(read);
        Assert.Null(read.GivenReason);
        Assert.True(read.IsSignedWith(Secret));
        Assert.Equal(signature, Action().SignWith(Secret).Signature);
    }

    [Fact]
    public void TheReasonIsSignedWithTheRest()
    {
        var signed = Action("offboarding").SignWith(Secret);
        var read = SignedAction.FromContext(JsonSerializer.SerializeToElement(signed));
        Assert.Equal("offboarding", read!.GivenReason);
        Assert.True(read.IsSignedWith(Secret));
        Assert.False((read with { GivenReason = "something else" }).IsSignedWith(Secret));
        Assert.False((read with { GivenReason = null }).IsSignedWith(Secret));
    }

    [Fact]
    public void AContextWithoutAReasonDoesNotSendOne() =>
        Assert.False(JsonSerializer.SerializeToElement(Action().SignWith(Secret)).TryGetProperty("r", out _));

    /// <summary>
    /// A reason moved into the nonce ("n": nonce + "\n" + reason, no "r") would sign the same text: a field with a line
    /// break is no context of ours, so the button cannot be used twice, once under each nonce.
    /// </summary>
    [Fact]
    public void AFieldWithALineBreakIsNoContext()
    {
        var signed = Action("offboarding").SignWith(Secret);
        var shifted = signed with { Nonce = signed.Nonce + "\noffboarding", GivenReason = null };
        Assert.True(shifted.IsSignedWith(Secret));
        Assert.Null(SignedAction.FromContext(JsonSerializer.SerializeToElement(shifted)));
        Assert.Null(SignedAction.FromContext(JsonSerializer.SerializeToElement(signed with { Detail = "x\ny" })));
    }
}
