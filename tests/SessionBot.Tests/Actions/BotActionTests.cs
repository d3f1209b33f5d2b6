using SessionBot.Actions;
using SessionBot.Commands;

namespace SessionBot.Tests.Actions;

/// <summary>The action catalogue (<see cref="BotAction"/>).</summary>
public class BotActionTests
{
    /// <summary>Names are in audit records and in signed buttons already sent: changing one breaks both.</summary>
    [Fact]
    public void TheNamesInTheAuditTrailAndInSignedButtonsNeverChange()
    {
        Assert.Equal(
            ["list-sessions", "read-audit", "revoke-session", "revoke-all", "revoke-token", "revoke-everyone", "deactivate", "activate"],
            BotAction.All.Select(a => a.Name));
        Assert.Equal("cancel", BotAction.CancelName);
    }

    [Fact]
    public void EveryActionIsFoundByItsNameAndCancelIsNotAnAction()
    {
        Assert.All(BotAction.All, action => Assert.Same(action, BotAction.Named(action.Name)));
        Assert.Null(BotAction.Named(BotAction.CancelName));
        Assert.Null(BotAction.Named("Revoke-All"));
    }

    [Fact]
    public void AClickIsRecordedAsTheCommandItsActionBelongsTo()
    {
        Assert.Equal(Triggers.Revoke, BotAction.RevokeAll.Trigger);
        Assert.Equal(Triggers.Revoke, BotAction.RevokeSession.Trigger);
        Assert.Equal(Triggers.Revoke, BotAction.RevokeEveryone.Trigger);
        Assert.Equal(Triggers.Deactivate, BotAction.Deactivate.Trigger);
        Assert.Equal(Triggers.Activate, BotAction.Activate.Trigger);
        Assert.All(BotAction.All, action => Assert.Contains(action.Trigger, Triggers.All));
    }

    [Fact]
    public void OnlyDeactivatingAndActivatingChangeTheAccountItself() =>
        Assert.Equal([BotAction.Deactivate, BotAction.Activate], BotAction.All.Where(a => a.ChangesAccount));

    /// <summary>docs/product.md#notices: not revoke everyone (every user at once), not a deactivation (they cannot read it).</summary>
    [Fact]
    public void ThePersonActedOnIsToldOfRevokesAndOfAReactivationOnly() =>
        Assert.Equal([BotAction.RevokeSession, BotAction.RevokeAll, BotAction.RevokeToken, BotAction.Activate], BotAction.All.Where(a => a.TellsTarget));

    /// <summary>Each told action has its message template, built in.</summary>
    [Fact]
    public void EveryToldActionHasAMessageTemplate() =>
        Assert.All(BotAction.All.Where(a => a.TellsTarget), a => Assert.Contains(a.MessageTemplate, SessionBot.Replies.ReplyTemplates.BuiltInNames));

    [Fact]
    public void EachActionNamesItsOwnTemplates()
    {
        Assert.Equal("outcome-revoke-all", BotAction.RevokeAll.OutcomeTemplate);
        Assert.Equal("confirm-deactivate", BotAction.Deactivate.ConfirmTemplate);
        Assert.Equal("ops-notice-revoke-token", BotAction.RevokeToken.OpsNoticeTemplate);
        Assert.Equal("message-activate", BotAction.Activate.MessageTemplate);
        Assert.Equal(BotAction.All.Count, BotAction.All.Select(a => a.OutcomeTemplate).Distinct().Count());
    }
}
