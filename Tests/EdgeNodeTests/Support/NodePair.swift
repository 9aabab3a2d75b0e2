import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Replication
import Testing
@testable import EdgeNode

/// Two nodes of one deployment in one test, each behind its own router, synced only when the test
/// says so — through their replication endpoints, as peers would — so the test decides what is
/// partitioned and when it heals.
enum NodePair {
    static func with(_ body: @Sendable (_ a: any TestClientProtocol, _ b: any TestClientProtocol) async throws -> Void) async throws {
        try await TestNode.withRouter(demo: true) { a in
            try await TestNode.withRouter(demo: true) { b in try await body(a, b) }
        }
    }

    /// Applies everything `source` has to `target` (its whole feed: merging is idempotent).
    static func sync(from source: any TestClientProtocol, to target: any TestClientProtocol) async throws {
        let feed = try await source.get("/replication/v1/changes?since=0&limit=10000", headers: HubAndAdminRoutesTests.operatorToken)
        #expect(feed.status == .ok)
        var headers = HubAndAdminRoutesTests.operatorToken
        headers[.contentType] = ChangeBatchCodec.mediaType
        let applied = try await target.execute(uri: "/replication/v1/changes", method: .post, headers: headers, body: feed.body)
        #expect(applied.status == .ok, "\(String(buffer: applied.body))")
    }

    /// Heals a partition: both ways.
    static func heal(_ a: any TestClientProtocol, _ b: any TestClientProtocol) async throws {
        try await sync(from: a, to: b)
        try await sync(from: b, to: a)
    }

    static func digest(_ node: any TestClientProtocol) async throws -> String? {
        try object(try await node.get("/replication/v1/digest", headers: HubAndAdminRoutesTests.operatorToken))["combined"] as? String
    }
}
