namespace SessionBot.Sandbox;

/// <summary>One request the emulator answered: what tests read to prove a call was, or was not, made.</summary>
/// <param name="Started">When it arrived, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</param>
/// <param name="Finished">When it was answered, in the same ticks.</param>
public sealed record LoggedRequest(string Method, string Path, string Body, string? UserId, int Status, long Started = 0, long Finished = 0)
{
    /// <summary>Calls that change state on a real server (reads done with POST are not).</summary>
    public bool IsChange => Method is "PUT" or "DELETE" || (Method == "POST" && !Path.EndsWith("/users/ids") && !Path.EndsWith("/users/usernames") && !Path.EndsWith("/roles/names"));
}

/// <summary>Every request the emulator answered, in the order they were answered (written by <see cref="EmulatorApi.UseEmulator"/>).</summary>
public sealed class RequestLog
{
    private readonly List<LoggedRequest> requests = [];

    /// <summary>The requests so far: a copy, which later requests do not change.</summary>
    public IReadOnlyList<LoggedRequest> All
    {
        get
        {
            lock (requests)
                return requests.ToArray();
        }
    }

    public void Add(LoggedRequest request)
    {
        lock (requests)
            requests.Add(request);
    }

    public void Clear()
    {
        lock (requests)
            requests.Clear();
    }

    /// <summary>
    /// How many of these requests had to wait for one another: overlapping requests (made in parallel) count once.
    /// </summary>
    public static int DependentRoundTrips(IEnumerable<LoggedRequest> requests)
    {
        var rounds = 0;
        var end = long.MinValue;
        foreach (var request in requests.OrderBy(r => r.Started))
        {
            if (request.Started >= end)
                rounds++;
            end = Math.Max(end, request.Finished);
        }
        return rounds;
    }
}
