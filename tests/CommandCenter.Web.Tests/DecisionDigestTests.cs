using System.Security.Cryptography;
using System.Text;
using CommandCenter.Web.Enforcement;

namespace CommandCenter.Web.Tests;

/// <summary>
/// The signature digest of an enforcement decision (docs/enforcement.md, "The signature"): computed by hand from the
/// documented canonical text, and no longer matching once any signed field or snapshot hash is changed.
/// </summary>
public sealed class DecisionDigestTests
{
    private static readonly EnforcementDecision Decision = new(
        "01a2", DecisionKind.ConfirmedViolation, null, "烟尘明显", "officer", new DateTimeOffset(2026, 12, 1, 0, 12, 34, 567, TimeSpan.Zero),
        "s-1", "a34004", "a34004-24h", 182.5, 190, 75, "µg/m³", new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.FromHours(8)), null,
        [new EvidenceFile("cam-2", "bb"), new EvidenceFile("cam-1", "aa")], "ENF-2026-000001", EnforcementDecision.CasePending, null);

    [Fact]
    public void The_digest_is_the_sha256_of_the_documented_canonical_text()
    {
        const string text = "alert=01a2\ndecision=confirmed-violation\nreason=\nnote=烟尘明显\nby=officer\nat=2026-12-01T00:12:34.5670000Z\n" +
                            "sensor=s-1\npollutant=a34004\nrule=a34004-24h\nvalue=182.5\npeak=190\nlimit=75\nunit=µg/m³\n" +
                            "alert-first-at=2026-11-30T15:00:00.0000000Z\nalert-cleared-at=\nrecord=ENF-2026-000001\ncase=pending\nincident=\n" +
                            "evidence:cam-1=aa\nevidence:cam-2=bb\n";
        Assert.Equal(text, Decision.CanonicalText());
        var signed = Decision.Signed();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), signed.Digest);
        Assert.True(signed.DigestMatches);
    }

    [Fact]
    public void Changing_any_signed_field_or_a_snapshot_hash_breaks_the_digest()
    {
        var signed = Decision.Signed();
        Assert.False((signed with { DecidedBy = "someone-else" }).DigestMatches);
        Assert.False((signed with { Decision = DecisionKind.FalseAlarm }).DigestMatches);
        Assert.False((signed with { Peak = 189.9 }).DigestMatches);
        Assert.False((signed with { DecidedAt = signed.DecidedAt.AddSeconds(1) }).DigestMatches);
        Assert.False((signed with { Evidence = [new EvidenceFile("cam-1", "aa"), new EvidenceFile("cam-2", "bc")] }).DigestMatches);
        Assert.False((signed with { RecordNumber = "ENF-2026-000002" }).DigestMatches);
    }

    [Fact]
    public void The_csv_has_a_bom_quotes_commas_and_quotes_and_keeps_formulas_as_text()
    {
        var bytes = DecisionsCsv.Write([Decision.Signed() with { Reason = "=HYPERLINK(\"x\"), 1" }]);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var row = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n")[1];
        Assert.Contains(",\"'=HYPERLINK(\"\"x\"\"), 1\",", row);
        Assert.Contains("2026-12-01 08:12:34 +08:00", row);
    }
}
