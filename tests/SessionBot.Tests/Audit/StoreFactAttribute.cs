using Xunit.Abstractions;
using Xunit.Sdk;

namespace SessionBot.Tests.Audit;

/// <summary>
/// A fact of the shared store suite: it runs once per provider class, and is skipped, with the reason shown, in a
/// class marked <see cref="RequiresPostgresAttribute"/> when no PostgreSQL is configured.
/// </summary>
[XunitTestCaseDiscoverer("SessionBot.Tests.Audit.StoreFactDiscoverer", "SessionBot.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Marks a test class whose tests need the PostgreSQL named by <c>SESSIONBOT_TEST_POSTGRES</c>.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute
{
    public const string Variable = "SESSIONBOT_TEST_POSTGRES";
    public const string SkipReason = Variable + " is not set: PostgreSQL tests skipped (CI sets it with .ci/postgres.sh).";
    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;
}

public sealed class StoreFactDiscoverer(IMessageSink diagnostics) : FactDiscoverer(diagnostics)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        new StoreTestCase(DiagnosticMessageSink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod);
}

public sealed class StoreTestCase : XunitTestCase
{
    [Obsolete("For deserialization only.")]
    public StoreTestCase()
    {
    }

    public StoreTestCase(IMessageSink diagnostics, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod testMethod)
        : base(diagnostics, display, displayOptions, testMethod)
    {
    }

    protected override string? GetSkipReason(IAttributeInfo factAttribute) =>
        TestMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any() && RequiresPostgresAttribute.ConnectionString is null
            ? RequiresPostgresAttribute.SkipReason
            : base.GetSkipReason(factAttribute);
}
