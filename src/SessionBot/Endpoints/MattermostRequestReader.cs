using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Primitives;

namespace SessionBot.Endpoints;

/// <summary>
/// Reads a request's body strictly, as Mattermost encodes it (docs/mattermost.md §1, §3, §4). Anything else, or
/// anything larger than <see cref="MaxBodyBytes"/>, is read as nothing at all: no fields, or no JSON document.
/// </summary>
public static class MattermostRequestReader
{
    /// <summary>Mattermost sends a few KB at most; anything much larger is not from Mattermost.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// The fields of a command or webhook: the query string (GET), a form, or a JSON object (outgoing webhooks may
    /// send JSON; only its string values are read). Anything else, or anything not encoded as Mattermost encodes it,
    /// gives no fields at all.
    /// </summary>
    public static async Task<RequestFields> ReadFieldsAsync(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method))
            return ParseForm(Encoding.UTF8.GetBytes(request.QueryString.Value?.TrimStart('?') ?? "")) ?? RequestFields.None;
        var body = await ReadBodyAsync(request);
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && string.Equals(type.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            return ParseForm(body) ?? RequestFields.None;
        if (!request.HasJsonContentType())
            return RequestFields.None;
        using var json = ParseJson(body);
        if (json?.RootElement is not { ValueKind: JsonValueKind.Object } root)
            return RequestFields.None;
        return new RequestFields(root.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.String)
            .GroupBy(p => p.Name)
            .ToDictionary(g => g.Key, g => new StringValues(g.First().Value.GetString())));
    }

    /// <summary>A JSON body (Mattermost posts a click as JSON, and says so); null for any other body.</summary>
    public static async Task<JsonDocument?> ReadJsonAsync(HttpRequest request) =>
        request.HasJsonContentType() ? ParseJson(await ReadBodyAsync(request)) : null;

    /// <summary>
    /// The whole body, at most <see cref="MaxBodyBytes"/>. A longer one stops the read with the 413 Kestrel throws as
    /// well (a chunked body does not say its length up front), which <see cref="EndpointGuard"/> answers. Any other
    /// failure to read gives an empty body.
    /// </summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (body.Length + read > MaxBodyBytes)
                    throw new BadHttpRequestException("The request body is larger than anything Mattermost sends.", StatusCodes.Status413PayloadTooLarge);
                body.Write(chunk, 0, read);
            }
        }
        // BadHttpRequestException is an IOException too: the 413 must get through to the guard.
        catch (IOException e) when (e is not BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return [];
        }
        return body.ToArray();
    }

    /// <summary>
    /// <c>application/x-www-form-urlencoded</c>, strictly; null when a <c>%</c> is not followed by two hex digits or a
    /// key or value is not UTF-8. Mattermost's encoder (Go's <c>url.Values</c>, docs/mattermost.md §1) never writes either.
    /// </summary>
    private static RequestFields? ParseForm(ReadOnlySpan<byte> form)
    {
        var fields = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var range in form.Split((byte)'&'))
        {
            var pair = form[range];
            if (pair.IsEmpty)
                continue;
            var equals = pair.IndexOf((byte)'=');
            if (Unescape(equals < 0 ? pair : pair[..equals]) is not { } key || Unescape(equals < 0 ? [] : pair[(equals + 1)..]) is not { } value)
                return null;
            fields[key] = StringValues.Concat(fields.GetValueOrDefault(key), value);
        }
        return new RequestFields(fields);
    }

    private static string? Unescape(ReadOnlySpan<byte> escaped)
    {
        var bytes = new byte[escaped.Length];
        var length = 0;
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] != '%')
                bytes[length++] = escaped[i] == '+' ? (byte)' ' : escaped[i];
            else if (escaped.Length - i >= 3 && byte.TryParse(escaped.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var decoded))
            {
                bytes[length++] = decoded;
                i += 2;
            }
            else
                return null;
        }
        return Utf8.IsValid(bytes.AsSpan(0, length)) ? Encoding.UTF8.GetString(bytes, 0, length) : null;
    }

    /// <summary>
    /// A JSON document all of whose strings and names can be read; null otherwise. The parser lets escaped lone
    /// surrogates (<c>"\udc00"</c>) through and throws only when such a value is read, which must not happen halfway
    /// through a request.
    /// </summary>
    private static JsonDocument? ParseJson(byte[] body)
    {
        if (!Utf8.IsValid(body))
            return null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
        if (HasReadableText(document.RootElement))
            return document;
        document.Dispose();
        return null;
    }

    private static bool HasReadableText(JsonElement element)
    {
        try
        {
            return Readable(element);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        static bool Readable(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => element.GetString() is not null,
            JsonValueKind.Object => element.EnumerateObject().All(p => p.Name is not null && Readable(p.Value)),
            JsonValueKind.Array => element.EnumerateArray().All(Readable),
            _ => true,
        };
    }
}
