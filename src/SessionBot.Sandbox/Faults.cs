namespace SessionBot.Sandbox;

public enum FaultKind
{
    /// <summary>Waits <see cref="Fault.Latency"/>, then answers normally.</summary>
    Latency,
    /// <summary>500 with an AppError body.</summary>
    ServerError,
    /// <summary>429 with a plain-text body, <c>Retry-After</c> and <c>X-Ratelimit-Reset</c>, as Mattermost's rate limiter answers.</summary>
    RateLimited,
    /// <summary>The connection is dropped without an answer.</summary>
    DropConnection,
}

/// <summary>A fault for requests whose path starts with <see cref="PathPrefix"/> (and method, when given).</summary>
public sealed record Fault(string PathPrefix, FaultKind Kind)
{
    public string? Method { get; init; }
    public TimeSpan Latency { get; init; }
    public int RetryAfterSeconds { get; init; } = 1;
    /// <summary>How many requests it hits; null for all until cleared.</summary>
    public int? Times { get; init; }
    /// <summary>Whether the request is carried out before the fault hides the answer (a 500 or a drop after the change).</summary>
    public bool AfterEffect { get; init; }
}

/// <summary>The faults in force, matched in the order they were added.</summary>
public sealed class Faults
{
    private readonly List<(Fault Fault, int Left)> faults = [];

    public void Add(Fault fault)
    {
        lock (faults)
            faults.Add((fault, fault.Times ?? int.MaxValue));
    }

    public void Clear()
    {
        lock (faults)
            faults.Clear();
    }

    /// <summary>The fault that applies to this request, used up by one.</summary>
    public Fault? Take(string method, string path)
    {
        lock (faults)
        {
            for (var i = 0; i < faults.Count; i++)
            {
                var (fault, left) = faults[i];
                if (!path.StartsWith(fault.PathPrefix, StringComparison.Ordinal) || (fault.Method is not null && fault.Method != method))
                    continue;
                if (left <= 1)
                    faults.RemoveAt(i);
                else
                    faults[i] = (fault, left - 1);
                return fault;
            }
            return null;
        }
    }
}
