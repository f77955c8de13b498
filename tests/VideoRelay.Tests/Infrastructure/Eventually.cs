using Xunit.Sdk;

namespace CommandCenter.VideoRelay.Tests.Infrastructure;

/// <summary>Polls until a condition holds, failing the test when the deadline passes first.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new XunitException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}.");
            await Task.Delay(Interval);
        }
    }

    public static Task<T> GetAsync<T>(Func<T?> probe, TimeSpan timeout, string what) where T : class =>
        GetAsync(() => Task.FromResult(probe()), timeout, what);

    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        await GetAsync(() => condition() ? "" : null, timeout, what);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        await GetAsync(async () => await condition() ? "" : null, timeout, what);
}
