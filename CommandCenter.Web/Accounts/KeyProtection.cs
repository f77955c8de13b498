using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using CommandCenter.Grains.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace CommandCenter.Web.Accounts;

/// <summary>
/// Where the keys of sign-in cookies live: with the data, so sign-ins survive a restart; in files only the
/// service's user can read; encrypted with a certificate when <see cref="AccountOptions.KeysCertificate"/> is set.
/// </summary>
public static class KeyProtection
{
    public static IServiceCollection AddKeyProtection(this IServiceCollection services, AccountOptions accounts, string dataDirectory)
    {
        var protection = services.AddDataProtection();
        services.AddOptions<KeyManagementOptions>().Configure<ILoggerFactory>((keys, loggers) =>
        {
            var directory = PrivateFiles.CreateDirectory(Path.Combine(dataDirectory, accounts.KeysDirectory));
            keys.XmlRepository = new PrivateXmlRepository(directory, loggers);
        });
        // Read here, not from options later: data protection takes the certificate for decryption only at registration.
        if (!string.IsNullOrEmpty(accounts.KeysCertificate)) protection.ProtectKeysWithCertificate(LoadCertificate(accounts));
        return services;
    }

    private static X509Certificate2 LoadCertificate(AccountOptions accounts)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(accounts.KeysCertificate,
                string.IsNullOrEmpty(accounts.KeysCertificatePassword) ? null : accounts.KeysCertificatePassword);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"Accounts:KeysCertificate could not be loaded: {e.Message}", e);
        }
        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException("Accounts:KeysCertificate must hold a private key to decrypt the keys it encrypts.");
    }

    /// <summary>The file system repository of data protection, whose files are made 0600 as soon as they are written.</summary>
    private sealed class PrivateXmlRepository(DirectoryInfo directory, ILoggerFactory loggers) : IXmlRepository
    {
        private readonly FileSystemXmlRepository _files = new(directory, loggers);

        public IReadOnlyCollection<XElement> GetAllElements() => _files.GetAllElements();

        public void StoreElement(XElement element, string friendlyName)
        {
            _files.StoreElement(element, friendlyName);
            PrivateFiles.Restrict(directory.FullName);
        }
    }
}
