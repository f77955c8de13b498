namespace CommandCenter.VideoRelay.Ffmpeg;

/// <summary>The last few (already redacted) lines ffmpeg wrote to stderr.</summary>
internal sealed class StderrTail(int capacity)
{
    private readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity) _lines.Dequeue();
        }
    }

    public string? Last
    {
        get { lock (_lines) return _lines.LastOrDefault(); }
    }
}
