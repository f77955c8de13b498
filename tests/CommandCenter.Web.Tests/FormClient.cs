using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Posts the dashboard's server-rendered forms over plain HTTP the way a browser (or a password-guessing script)
/// does: it fetches the form for its antiforgery token and cookie, then posts the fields. It can call from another
/// loopback address (127.0.0.2, …), which the host sees as another client.
/// </summary>
public sealed partial class FormClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="cookies">Cookies shared with another client, e.g. one signed in at another node of a cluster.</param>
    public FormClient(Uri baseAddress, IPAddress? from = null, CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer(), UseCookies = true };
        if (from is not null)
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        // The forms' messages are read in English, as the browser tests read pages (Browser.English).
        _http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
    }

    public Task<HttpResponseMessage> SignIn(string user, string password) =>
        Post("/login", "login", new() { ["Input.UserName"] = user, ["Input.Password"] = password });

    public Task<HttpResponseMessage> ChangePassword(string current, string replacement) =>
        Post("/account/password", "change-password",
            new() { ["Input.Current"] = current, ["Input.New"] = replacement, ["Input.Confirm"] = replacement });

    public Task<HttpResponseMessage> Get(string path) => _http.GetAsync(path);

    /// <summary>Sends a request of the caller's making (e.g. with conditional headers) with this client's cookies.</summary>
    public Task<HttpResponseMessage> Send(HttpRequestMessage request) => _http.SendAsync(request);

    /// <summary>Fetches the form's page for a fresh token, then posts the form as its submit button would.</summary>
    public async Task<HttpResponseMessage> Post(string path, string formName, Dictionary<string, string> fields)
    {
        var page = await _http.GetStringAsync(path);
        var token = TokenField().Match(page);
        if (!token.Success) throw new InvalidOperationException($"No antiforgery token on {path}:\n{page}");
        var form = new Dictionary<string, string>(fields)
        {
            ["_handler"] = formName,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        };
        return await _http.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>The message the page shows in its alert paragraph, or null when it shows none.</summary>
    public static async Task<string?> MessageOf(HttpResponseMessage response)
    {
        var match = AlertParagraph().Match(await response.Content.ReadAsStringAsync());
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value).Trim() : null;
    }

    /// <summary>A successful sign-in redirects away from the form.</summary>
    public static bool SignedIn(HttpResponseMessage response) => (int)response.StatusCode is >= 300 and < 400;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("<p class=\"[a-z]+\" role=\"alert\">([^<]*)</p>")]
    private static partial Regex AlertParagraph();

    public void Dispose() => _http.Dispose();
}
