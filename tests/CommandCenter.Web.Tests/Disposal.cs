namespace CommandCenter.Web.Tests;

/// <summary>Runs a cleanup that is not an <see cref="IAsyncDisposable"/> (an xunit fixture's DisposeAsync) at the end of an <c>await using</c>.</summary>
public sealed class Disposal(Func<Task> dispose) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await dispose();
}
