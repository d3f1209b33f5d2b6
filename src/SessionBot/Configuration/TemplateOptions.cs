using Microsoft.Extensions.Options;

namespace SessionBot.Configuration;

/// <summary>Section <c>Templates</c>: an optional folder whose <c>&lt;kind&gt;.hbs</c> files replace the built-in replies.</summary>
public sealed record TemplateOptions
{
    public const string Section = "Templates";
    public string? Directory { get; init; }
}

public sealed class TemplateOptionsValidator : IValidateOptions<TemplateOptions>
{
    public ValidateOptionsResult Validate(string? name, TemplateOptions options) =>
        options.Directory is { Length: > 0 } dir && !System.IO.Directory.Exists(dir)
            ? ValidateOptionsResult.Fail($"Templates:Directory is invalid: the folder '{dir}' does not exist.")
            : ValidateOptionsResult.Success;
}
