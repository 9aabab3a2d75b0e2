import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// `comprehensive`'s encoded answers, per patient, days, time zone and hour, kept while the
/// patient's rollups are unchanged: a dashboard polled by many screens reads and encodes once per
/// change or hour, not per request. Everything in the answer comes from the rollups (tracked by
/// `MetricVersions`) and the hour (the hourly series, "today"), except the request's timestamp,
/// which is spliced in per request.
final class ComprehensiveResponseCache: Sendable {
    /// Answers kept at most (a few KB each).
    static let capacity = 512

    struct Key: Hashable, Sendable {
        let patient: String
        let days: Int
        let zone: String
        /// The start of the hour the answer was computed in.
        let hour: Int64
    }

    /// The encoded answer around its request timestamp, and the rollups' version it was read at.
    private struct Entry: Sendable {
        let version: UInt64
        let head: [UInt8]
        let tail: [UInt8]
    }

    private static let placeholder = "request-timestamp-placeholder"

    let versions: MetricVersions
    private let entries = Mutex<[Key: Entry]>([:])

    init(versions: MetricVersions) {
        self.versions = versions
    }

    /// The answer for `key` stamped `timestamp`: the kept one while the patient's rollups are
    /// unchanged, else `build`'s (given the timestamp to state), kept for the next request.
    func response(for key: Key, timestamp: String, build: (String) async throws -> ComprehensiveMetricsPayload) async throws -> Response {
        let version = versions.version(of: key.patient)  // before the rollups are read: a change after it is seen next time
        let entry: Entry
        if let kept = entries.withLock({ $0[key] }), kept.version == version {
            entry = kept
        } else {
            let encoded = Array(try APIJSON.encoder().encode(try await build(Self.placeholder)))
            let marker = Array(Self.placeholder.utf8)
            guard let at = encoded.firstRange(of: marker) else { throw APIError.internalError }  // the payload states its timestamp
            entry = Entry(version: version, head: Array(encoded[..<at.lowerBound]), tail: Array(encoded[at.upperBound...]))
            entries.withLock { entries in
                if entries.count >= Self.capacity {
                    entries = entries.filter { $0.key.hour >= key.hour }
                    if entries.count >= Self.capacity { entries.removeAll() }
                }
                entries[key] = entry
            }
        }
        return Self.response(entry.head, Array(timestamp.utf8), entry.tail)
    }

    private static func response(_ head: [UInt8], _ middle: [UInt8], _ tail: [UInt8]) -> Response {
        var body = ByteBuffer()
        body.reserveCapacity(head.count + middle.count + tail.count)
        body.writeBytes(head)
        body.writeBytes(middle)
        body.writeBytes(tail)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
}
