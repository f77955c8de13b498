using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace CommandCenter.Web.Open311;

/// <summary>
/// A GeoReport v2 answer: a list of flat records, written as a JSON array of objects or as XML (a root element
/// holding one element per record, one child per field). Both formats come from the same fields, so they cannot drift.
/// </summary>
public sealed record Open311Document(string Root, string Item, IReadOnlyList<IReadOnlyList<KeyValuePair<string, object?>>> Records)
{
    /// <summary>One record on its own (a service definition): a JSON object, or the item element as the XML root.</summary>
    public bool Single { get; init; }

    public const string Json = "json", Xml = "xml";

    public static bool IsFormat(string? format) => format is Json or Xml;

    public IResult ToResult(string format, int status = StatusCodes.Status200OK) =>
        format == Xml
            ? Results.Text(WriteXml(), "text/xml; charset=utf-8", Encoding.UTF8, status)
            : Results.Text(WriteJson(), "application/json; charset=utf-8", Encoding.UTF8, status);

    public string WriteJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            if (!Single) json.WriteStartArray();
            foreach (var record in Single ? Records.Take(1) : Records)
            {
                json.WriteStartObject();
                foreach (var (name, value) in record)
                {
                    json.WritePropertyName(name);
                    switch (value)
                    {
                        case null: json.WriteNullValue(); break;
                        case bool b: json.WriteBooleanValue(b); break;
                        case int i: json.WriteNumberValue(i); break;
                        case double d: json.WriteNumberValue(d); break;
                        case IEnumerable<string> list: json.WriteStringValue(string.Join(',', list)); break;
                        case object[] items when items.Length == 0: json.WriteStartArray(); json.WriteEndArray(); break;
                        default: json.WriteStringValue(Text(value)); break;
                    }
                }
                json.WriteEndObject();
            }
            if (!Single) json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public string WriteXml()
    {
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(new Utf8StringWriter(text), new XmlWriterSettings { Encoding = Encoding.UTF8, Indent = false }))
        {
            xml.WriteStartDocument();
            if (!Single) xml.WriteStartElement(Root);
            foreach (var record in Single ? Records.Take(1) : Records)
            {
                xml.WriteStartElement(Item);
                foreach (var (name, value) in record)
                {
                    xml.WriteStartElement(name);
                    if (value is object[]) { }
                    else if (value is IEnumerable<string> list) xml.WriteString(string.Join(',', list));
                    else if (value is not null) xml.WriteString(Text(value));
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }
            if (!Single) xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return text.ToString();
    }

    /// <summary>W3C date-times with their offset, as the spec requires; numbers in the invariant culture.</summary>
    private static string Text(object value) => value switch
    {
        DateTimeOffset at => at.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    // A StringWriter reports UTF-16; the declaration must say UTF-8, the encoding the answer is sent in.
    private sealed class Utf8StringWriter(StringBuilder text) : StringWriter(text, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => Encoding.UTF8;
    }
}

/// <summary>The spec's error answer: <c>[{"code": 400, "description": "..."}]</c> with the same HTTP status.</summary>
public static class Open311Errors
{
    public static IResult Of(int status, string description, string format = Open311Document.Json) =>
        new Open311Document("errors", "error", [[new("code", status), new("description", description)]]).ToResult(format, status);
}
