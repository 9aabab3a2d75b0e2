import Hummingbird
import NIOCore

/// `/openapi.json` and `/docs`, generated from the endpoint catalog when asked (so they include
/// every route registered, themselves too).
struct DocsRoutes {
    let catalog: APICatalog
    let version: String

    func register(on root: RouteRegistrar) {
        root.add(.get, "openapi.json", "Documentation", "This API as an OpenAPI 3.1 document", access: .anyone, use: openAPI)
        root.add(.get, "docs", "Documentation", "This API as a readable page (works offline)", access: .anyone, documented: {
            $0.contentType = "text/html"
        }, use: docs)
    }

    @Sendable func openAPI(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let text = OpenAPIDocument.json(catalog.endpoints, version: version).text
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    @Sendable func docs(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let html = DocsPage.html(catalog.endpoints, version: version)
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
