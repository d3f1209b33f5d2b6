using System.Collections.Concurrent;
using System.Diagnostics;

namespace SessionBot.Tests;

/// <summary>
/// The bot as an operator runs it: <c>dotnet SessionBot.dll …</c> in a process of its own, from the repository root,
/// with its standard output and error read line by line.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly ConcurrentQueue<string> error = new();
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> waiting = [];

    private BotProcess(IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SessionBot.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Received(output, e.Data);
        process.ErrorDataReceived += (_, e) => Received(error, e.Data);
        process.Exited += (_, _) => exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Output => [.. output];
    public IReadOnlyList<string> Error => [.. error];
    public int ExitCode => process.ExitCode;

    public static BotProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args) => new(environment, args);

    /// <summary>The first output line matching <paramref name="match"/>, as it arrives (or already arrived).</summary>
    public Task<string> LineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (waiting)
        {
            if (output.FirstOrDefault(match) is { } line)
                return Task.FromResult(line);
            waiting.Add((match, found));
        }
        return found.Task.WaitAsync(timeout);
    }

    /// <summary>Waits for the process to end by itself.</summary>
    public Task ExitAsync(TimeSpan timeout) => exited.Task.WaitAsync(timeout);

    /// <summary>
    /// Asks the process to stop as systemd or Kubernetes would (SIGTERM), unless it has ended already, and waits until
    /// it has and every line it wrote has been read.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (!process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            await ExitAsync(timeout);
        }
        // The last lines arrive after the exit event: WaitForExit without a timeout waits for the streams to end.
        process.WaitForExit();
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SessionBot.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("The repository root (SessionBot.sln) was not found above the test's folder.");
    }

    private void Received(ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
            return;
        lock (waiting)
        {
            lines.Enqueue(line);
            if (!ReferenceEquals(lines, output))
                return;
            foreach (var waiter in waiting.Where(w => w.Match(line)).ToArray())
            {
                waiter.Found.TrySetResult(line);
                waiting.Remove(waiter);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
