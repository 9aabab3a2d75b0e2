import Foundation

/// `/docs`: the API reference as one self-contained HTML page (no script, no fonts, nothing
/// fetched), rendered from the endpoint catalog so it works on a LAN with no internet.
enum DocsPage {
    static func html(_ endpoints: [Endpoint], version: String) -> String {
        var sections = ""
        for tag in endpoints.map(\.tag).uniqued() {
            sections += "<section><h2 id=\"\(escape(tag))\">\(escape(tag))</h2>\n"
            for endpoint in endpoints where endpoint.tag == tag {
                sections += """
                    <article><h3><span class="method \(endpoint.method.rawValue.lowercased())">\(endpoint.method.rawValue)</span> <code>\(escape(endpoint.path))</code></h3>
                    <p>\(escape(endpoint.summary))</p><p class="who">\(escape(OpenAPIDocument.audience(endpoint.access)))</p>
                    \(fields("Query", endpoint.query.map { ($0.name, $0.description + ($0.required ? " (required)" : "")) }))\
                    \(endpoint.body.map { fields("Body", describe($0)) } ?? "")\
                    <p class="ok">\(endpoint.success.status)\(endpoint.success.body.map { " — " + escape(name($0)) } ?? "")</p></article>

                    """
            }
            sections += "</section>\n"
        }
        let index = endpoints.map(\.tag).uniqued().map { "<a href=\"#\(escape($0))\">\(escape($0))</a>" }.joined(separator: " · ")
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>CloudCare Edge API</title>
            <style>
            body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#1d2433}
            h2{border-bottom:2px solid #dde3ee;padding-bottom:.2em;margin-top:2em}
            article{border:1px solid #dde3ee;border-radius:6px;padding:.2em 1em;margin:1em 0}
            h3{font-size:1em}.method{display:inline-block;min-width:4.5em;text-align:center;border-radius:4px;color:#fff;padding:0 .4em}
            .get{background:#2f7d4f}.post{background:#2759a5}.put{background:#9a6a10}.patch{background:#7a4fa0}.delete{background:#b23b3b}
            .who{color:#5a6478}.ok{color:#2f7d4f}table{border-collapse:collapse}td{padding:.1em .8em .1em 0;vertical-align:top}
            code{background:#f3f5f9;padding:0 .2em}
            </style></head><body>
            <h1>CloudCare Edge API <small>\(escape(version))</small></h1>
            <p>Every edge node serves this API on its LAN. Send <code>Authorization: Bearer &lt;access_token&gt;</code>
            from <code>/api/v1/auth/login</code>. Errors are <code>{"detail": …, "code": …}</code>.
            Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
            <nav>\(index)</nav>
            \(sections)</body></html>
            """
    }

    private static func fields(_ title: String, _ rows: [(String, String)]) -> String {
        guard !rows.isEmpty else { return "" }
        return "<p>\(title):</p><table>" + rows.map { "<tr><td><code>\(escape($0.0))</code></td><td>\(escape($0.1))</td></tr>" }.joined() + "</table>"
    }

    private static func describe(_ schema: JSONSchema) -> [(String, String)] {
        switch schema {
        case .reference(let name):
            guard let resolved = APISchemas.components.first(where: { $0.0 == name })?.1 else { return [] }
            return describe(resolved)
        case .object(let properties, let required):
            return properties.map { ($0.0, self.name($0.1) + (required.contains($0.0) ? " (required)" : "")) }
        default:
            return [("", name(schema))]
        }
    }

    private static func name(_ schema: JSONSchema) -> String {
        switch schema {
        case .string: "string"
        case .formatted(let format): "string (\(format))"
        case .oneOf(let values): values.joined(separator: " | ")
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .array(let items): "array of \(name(items))"
        case .object: "object"
        case .any: "JSON"
        case .reference(let name): name
        case .nullable(let schema): name(schema) + " or null"
        }
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
