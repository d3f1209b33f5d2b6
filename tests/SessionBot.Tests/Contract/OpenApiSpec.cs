using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace SessionBot.Tests.Contract;

/// <summary>The official Mattermost OpenAPI text (tests/contract/*.yaml), read as plain data.</summary>
public sealed class OpenApiSpec
{
    private readonly Dictionary<string, Dictionary<object, object>> paths = [];
    private readonly Dictionary<object, object> schemas;

    private OpenApiSpec(Dictionary<object, object> schemas) => this.schemas = schemas;

    public static OpenApiSpec Load()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "contract");
        var yaml = new DeserializerBuilder().Build();
        var documents = Directory.GetFiles(folder, "*.yaml").ToDictionary(f => Path.GetFileName(f), f => yaml.Deserialize<Dictionary<object, object>>(File.ReadAllText(f)));
        var components = (Dictionary<object, object>)documents["definitions.yaml"]["components"];
        var spec = new OpenApiSpec((Dictionary<object, object>)components["schemas"]);
        foreach (var (key, value) in documents.Values.SelectMany(d => d))
        {
            if (key is string path && path.StartsWith("/api/v4/", StringComparison.Ordinal))
                spec.paths[path] = (Dictionary<object, object>)value;
        }
        return spec;
    }

    /// <summary>The operation for a concrete request path; literal segments win over templates, as in a router.</summary>
    public (string Template, Dictionary<object, object> Operation)? Find(string method, string path)
    {
        var match = paths.Keys
            .Where(template => Regex.IsMatch(path, "^" + Regex.Replace(Regex.Escape(template), @"\\\{[^/]+?}", "[^/]+") + "$"))
            .OrderByDescending(template => template.Split('/').Count(segment => !segment.StartsWith('{')))
            .FirstOrDefault();
        if (match is null || !paths[match].TryGetValue(method.ToLowerInvariant(), out var operation))
            return null;
        return (match, (Dictionary<object, object>)operation);
    }

    /// <summary>The names of the operation's query parameters.</summary>
    public IReadOnlySet<string> QueryParameters(Dictionary<object, object> operation) =>
        (operation.TryGetValue("parameters", out var parameters) ? (List<object>)parameters : [])
            .Select(Resolve).OfType<Dictionary<object, object>>()
            .Where(p => p.TryGetValue("in", out var where) && (string)where == "query")
            .Select(p => (string)p["name"]).ToHashSet();

    public object? RequestSchema(Dictionary<object, object> operation) =>
        Dig(operation, "requestBody", "content", "application/json", "schema");

    public object? ResponseSchema(Dictionary<object, object> operation, int status) =>
        Dig(operation, "responses", status.ToString(), "content", "application/json", "schema");

    /// <summary>Every way <paramref name="value"/> departs from <paramref name="schema"/>: wrong types, undeclared fields.</summary>
    public IEnumerable<string> Check(object? schema, JsonElement value, string where)
    {
        var resolved = Resolve(schema);
        if (resolved is null)
            yield break;
        var type = resolved.TryGetValue("type", out var t) ? (string)t : resolved.ContainsKey("properties") ? "object" : null;
        var kindOk = type switch
        {
            "string" => value.ValueKind == JsonValueKind.String,
            "integer" or "number" => value.ValueKind == JsonValueKind.Number,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "array" => value.ValueKind == JsonValueKind.Array,
            "object" => value.ValueKind == JsonValueKind.Object,
            _ => true,
        };
        if (!kindOk)
        {
            yield return $"{where}: expected {type}, got {value.ValueKind}";
            yield break;
        }
        if (type == "array" && resolved.TryGetValue("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                foreach (var problem in Check(items, item, $"{where}[{i++}]"))
                    yield return problem;
            }
        }
        if (type == "object" && resolved.TryGetValue("properties", out var declared))
        {
            var properties = (Dictionary<object, object>)declared;
            foreach (var property in value.EnumerateObject())
            {
                if (!properties.TryGetValue(property.Name, out var propertySchema))
                    yield return $"{where}.{property.Name}: not in the spec";
                else
                {
                    foreach (var problem in Check(propertySchema, property.Value, $"{where}.{property.Name}"))
                        yield return problem;
                }
            }
        }
    }

    /// <summary>The property names a schema declares (after <c>$ref</c>).</summary>
    public IReadOnlySet<string> PropertiesOf(string schemaName) =>
        ((Dictionary<object, object>)((Dictionary<object, object>)schemas[schemaName])["properties"]).Keys.Cast<string>().ToHashSet();

    private Dictionary<object, object>? Resolve(object? schema)
    {
        if (schema is not Dictionary<object, object> map)
            return null;
        if (map.TryGetValue("$ref", out var reference))
            return Resolve(schemas[((string)reference).Split('/').Last()]);
        return map;
    }

    private object? Dig(Dictionary<object, object> node, params string[] keys)
    {
        object? current = node;
        foreach (var key in keys)
        {
            current = Resolve(current) is { } map && map.TryGetValue(key, out var next) ? next : null;
            if (current is null)
                return null;
        }
        return current;
    }
}
