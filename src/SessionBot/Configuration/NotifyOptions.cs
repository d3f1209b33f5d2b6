using Microsoft.Extensions.Options;

namespace SessionBot.Configuration;

/// <summary>Section <c>Notify</c>: the direct message to the person someone else acted on (docs/product.md#notices).</summary>
public sealed record NotifyOptions
{
    public const string Section = "Notify";
    /// <summary>Most characters of <see cref="Contact"/>.</summary>
    public const int MaxContactLength = 1000;
    /// <summary>Whether the bot sends those messages at all (default: it does).</summary>
    public bool AffectedPeople { get; init; } = true;
    /// <summary>
    /// Markdown the operator writes, added to each message as it is (not escaped: it may link a channel or a page),
    /// e.g. <c>Questions: ~it-help</c>. None by default.
    /// </summary>
    public string? Contact { get; init; }
}

public sealed class NotifyOptionsValidator : IValidateOptions<NotifyOptions>
{
    public ValidateOptionsResult Validate(string? name, NotifyOptions options) => options.Contact is { Length: > NotifyOptions.MaxContactLength }
        ? ValidateOptionsResult.Fail($"Notify:Contact is invalid: it is {options.Contact.Length} characters long; keep it to at most {NotifyOptions.MaxContactLength}.")
        : ValidateOptionsResult.Success;
}
