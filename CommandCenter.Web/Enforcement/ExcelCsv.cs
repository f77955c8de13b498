using System.Text;

namespace CommandCenter.Web.Enforcement;

/// <summary>
/// CSV that Excel opens as the operators expect: UTF-8 with a byte order mark (or Excel reads the Chinese as mojibake),
/// RFC 4180 quoting, CRLF lines, and any cell starting like a formula kept as text.
/// </summary>
public static class ExcelCsv
{
    public static byte[] Write(IEnumerable<string> header, IEnumerable<IEnumerable<string?>> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', header.Select(Cell)).Append("\r\n");
        foreach (var row in rows) text.AppendJoin(',', row.Select(Cell)).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        // A typed reason starting with = + - @ would be a formula in a spreadsheet: kept as text.
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
