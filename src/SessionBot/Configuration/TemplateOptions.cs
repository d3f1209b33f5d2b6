using Microsoft.Extensions.Options;

namespace SessionBot.Configuration;

/// <summary>Section <c>Templates</c>: an optional folder whose <c>.sbn</c> files replace the built-in reply templates of the same name.</summary>
public sealed record TemplateOptions
{
    public const string Section = "Templates";
    public string? Directory { get; init; }
}

/// <summary>Fails start-up when the folder is missing, or a template in it does not parse or would be ignored.</summary>
public sealed class TemplateOptionsValidator : IValidateOptions<TemplateOptions>
{
    public ValidateOptionsResult Validate(string? name, TemplateOptions options)
    {
        if (options.Directory is { Length: > 0 } dir && !System.IO.Directory.Exists(dir))
            return ValidateOptionsResult.Fail($"Templates:Directory is invalid: the folder '{dir}' does not exist.");
        var problems = Replies.ReplyTemplates.Problems(options.Directory);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
