using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CommandCenter.Web.Tests;

/// <summary>Accounts, grain state and cookie keys on disk are for the service's user only.</summary>
[Collection(OwnHosts.Name), System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DataFileTests
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task The_data_directory_is_private_when_created_and_repaired_when_it_was_not()
    {
        var data = Path.Combine(Directory.CreateTempSubdirectory("command-center-files-").FullName, "data");
        await using (var first = new CommandCenterProcess(data))
        {
            await first.Start();
            await SignInOnce(first);
            AssertPrivate(data);
            await first.Stop();
        }

        // Data left world-readable by an older version is repaired at start-up.
        foreach (var entry in new DirectoryInfo(data).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Append(new DirectoryInfo(data)))
            entry.UnixFileMode |= UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        await using var second = new CommandCenterProcess(data);
        await second.Start();
        AssertPrivate(data);
    }

    [Fact]
    public async Task With_a_keys_certificate_the_cookie_keys_are_encrypted_at_rest()
    {
        var folder = Directory.CreateTempSubdirectory("command-center-cert-").FullName;
        var pfx = Path.Combine(folder, "keys.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=command-center keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.Now.AddDays(-1), DateTimeOffset.Now.AddYears(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-secret"));
        }
        await using var host = new CommandCenterProcess(settings: new Dictionary<string, string>
        {
            ["Accounts__KeysCertificate"] = pfx,
            ["Accounts__KeysCertificatePassword"] = "pfx-secret",
        });
        await host.Start();
        using var desk = await SignInOnce(host);
        // The cookie made with the encrypted key is read back on the next request.
        Assert.Equal(HttpStatusCode.OK, (await desk.Get("/account/password")).StatusCode);

        var key = Assert.Single(Directory.GetFiles(Path.Combine(host.DataDirectory, "keys"), "key-*.xml"));
        var xml = await File.ReadAllTextAsync(key);
        Assert.Contains("EncryptedData", xml);
        Assert.DoesNotContain("unencrypted form", xml);
    }

    private static async Task<FormClient> SignInOnce(CommandCenterProcess host)
    {
        var desk = new FormClient(host.BaseAddress);
        Assert.True(FormClient.SignedIn(await desk.SignIn("admin", "Admin#2026")));
        return desk;
    }

    private static void AssertPrivate(string data)
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        Assert.Equal(0, (int)(File.GetUnixFileMode(Path.Combine(data, "keys")) & GroupOrOther));
        var files = Directory.GetFiles(data, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "host.log").ToList();
        foreach (var expected in new[] { "state.db", "accounts.db" }) Assert.Contains(Path.Combine(data, expected), files);
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("key-"));
        foreach (var file in files)
            Assert.True((File.GetUnixFileMode(file) & GroupOrOther & ~UnixFileMode.GroupExecute & ~UnixFileMode.OtherExecute) == 0,
                $"{file} is {File.GetUnixFileMode(file)}");
    }
}
