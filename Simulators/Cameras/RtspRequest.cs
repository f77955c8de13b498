namespace CommandCenter.Simulators.Cameras;

internal sealed record RtspRequest(string Method, string Uri, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string CSeq => Header("CSeq") ?? "0";

    /// <summary>First path segment of the request URI, which names the camera; null for "*" or an unparsable URI.</summary>
    public string? CameraId =>
        System.Uri.TryCreate(Uri, UriKind.Absolute, out var uri)
            ? uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
            : null;

    public static RtspRequest Parse(string head)
    {
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("RTSP/", StringComparison.Ordinal))
            throw new InvalidDataException("Not an RTSP request line.");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return new RtspRequest(requestLine[0].ToUpperInvariant(), requestLine[1], headers);
    }
}
