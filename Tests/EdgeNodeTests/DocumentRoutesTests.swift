import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Replication
import Testing
@testable import EdgeNode

@Suite struct DocumentRoutesTests {
    static let boundary = "----cloudcare-test-boundary"

    /// A multipart/form-data body: the text fields, then the file (or the file first).
    static func multipart(_ fields: [(String, String)], file: [UInt8]?, fileName: String = "cbc.pdf", fileFirst: Bool = false) -> ByteBuffer {
        var parts: [[UInt8]] = fields.map { name, value in
            Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            let part = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: application/pdf\r\n\r\n".utf8)
                + file + Array("\r\n".utf8)
            if fileFirst { parts.insert(part, at: 0) } else { parts.append(part) }
        }
        return ByteBuffer(bytes: parts.joined() + Array("--\(boundary)--\r\n".utf8))
    }

    static func upload(_ client: any TestClientProtocol, _ body: ByteBuffer, token: String) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/documents/upload", method: .post, headers: [
            .authorization: "Bearer \(token)", .contentType: "multipart/form-data; boundary=\(boundary)",
        ], body: body)
    }

    @Test func uploadListDownloadAndDeleteAsThePatientAndTheConsentedDoctor() async throws {
        try await TestNode.withRouter(demo: true, role: .hub) { client in
            let cast = try await TestAccounts.Cast.make(client)
            let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
            let fields = [("patient_id", cast.patient.id), ("title", "Blood Test Report"), ("record_type", "LAB_REPORT"), ("date", "2025-11-15")]
            let created = try await Self.upload(client, Self.multipart(fields, file: bytes, fileFirst: true), token: cast.patient.token)
            #expect(created.status == .created, "\(String(buffer: created.body))")
            let record = try object(created)
            let checksum = SHA256.hash(data: bytes).hexString
            #expect(record["checksum"] as? String == checksum && record["size_bytes"] as? Int == bytes.count && record["file_name"] as? String == "cbc.pdf")

            let doctorUpload = try await Self.upload(client, Self.multipart(fields.map { $0.0 == "title" ? ("title", "ECG") : $0 }, file: [1, 2, 3]), token: cast.doctor.token)
            #expect(doctorUpload.status == .created)
            let listed = try array(try await client.get("/api/v1/documents/\(cast.patient.id)", token: cast.doctor.token))
            #expect(Set(listed.compactMap { $0["title"] as? String }) == ["Blood Test Report", "ECG"])

            let id = try #require(record["id"] as? String)
            let download = try await client.get("/api/v1/documents/\(cast.patient.id)/\(id)/content", token: cast.patient.token)
            #expect(download.status == .ok && Array(download.body.readableBytesView) == bytes)
            #expect(download.headers[HTTPField.Name("X-Checksum-SHA256")!] == checksum)
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"cbc.pdf\"")

            // Others: no consent → 403; the other patient's path → 403; a document id under another patient → 404.
            try expectError(try await client.get("/api/v1/documents/\(cast.patient.id)", token: cast.otherDoctor.token), .forbidden, code: "forbidden")
            try expectError(try await Self.upload(client, Self.multipart(fields, file: [9]), token: cast.otherDoctor.token), .forbidden, code: "forbidden")
            try expectError(try await client.get("/api/v1/documents/\(cast.otherPatient.id)/\(id)/content", token: cast.otherPatient.token), .notFound, code: "not_found")
            let doctorsID = try #require(try object(doctorUpload)["id"] as? String)
            try expectError(try await client.execute(uri: "/api/v1/documents/\(id)", method: .delete, headers: [.authorization: "Bearer \(cast.doctor.token)"]), .forbidden, code: "forbidden")
            #expect(try await client.execute(uri: "/api/v1/documents/\(doctorsID)", method: .delete, headers: [.authorization: "Bearer \(cast.doctor.token)"]).status == .noContent)
            #expect(try await client.execute(uri: "/api/v1/documents/\(id)", method: .delete, headers: [.authorization: "Bearer \(cast.patient.token)"]).status == .noContent)
            #expect(try array(try await client.get("/api/v1/documents/\(cast.patient.id)", token: cast.patient.token)).isEmpty)
            try expectError(try await client.get("/api/v1/documents/\(cast.patient.id)/\(id)/content", token: cast.patient.token), .notFound, code: "not_found")
            let log = try object(try await client.get("/api/v1/patients/\(cast.patient.id)/access-log", token: cast.patient.token))["entries"] as? [[String: Any]] ?? []
            #expect(log.filter { $0["object_type"] as? String == "medical_record" }.compactMap { $0["action"] as? String }.sorted() == ["CREATE", "CREATE", "DELETE", "DELETE", "READ"])
        }
    }

    @Test func badUploadsAreRefusedAndLeaveNoFileBehind() async throws {
        let settings = TestNode.settings(demo: true)
        try await TestNode.withRouter(demo: true, role: .hub, configure: { $0.documentMaximumBytes = 1000; $0.dataDirectory = settings.dataDirectory }) { client in
            let cast = try await TestAccounts.Cast.make(client)
            let fields = [("patient_id", cast.patient.id), ("title", "Scan"), ("record_type", "IMAGING"), ("date", "2025-11-15")]
            try expectError(try await Self.upload(client, Self.multipart(fields, file: Array(repeating: 1, count: 1001)), token: cast.patient.token), .contentTooLarge, code: "payload_too_large")
            let badType = fields.map { $0.0 == "record_type" ? ("record_type", "XRAY") : $0 }
            let refused = try await Self.upload(client, Self.multipart(badType, file: [1, 2]), token: cast.patient.token)
            try expectError(refused, .unprocessableContent, code: "validation_error")
            #expect((try object(refused)["fields"] as? [[String: Any]])?.first?["field"] as? String == "record_type")
            try expectError(try await Self.upload(client, Self.multipart(fields, file: nil), token: cast.patient.token), .unprocessableContent, code: "validation_error")
            try expectError(try await Self.upload(client, ByteBuffer(string: "--\(Self.boundary)\r\nnot a part"), token: cast.patient.token), .badRequest, code: "bad_request")
            let json = try await client.post("/api/v1/documents/upload", ["title": "x"], token: cast.patient.token)
            try expectError(json, .unsupportedMediaType, code: "unsupported_media_type")
            let temporary = try FileManager.default.contentsOfDirectory(atPath: settings.dataDirectory + "/blobs/tmp")
            let stored = FileManager.default.enumerator(atPath: settings.dataDirectory + "/blobs/sha256")?.allObjects.count ?? 0
            #expect(temporary.isEmpty && stored == 0, "nothing kept from refused uploads")
        }
    }
}

@Suite struct MultipartStreamTests {
    /// However the body is cut into chunks, the parts come out the same.
    @Test func partsSurviveAnyChunking() throws {
        let body = Array(DocumentRoutesTests.multipart([("title", "Report"), ("date", "2025-11-15")], file: Array("x\r\n--y".utf8) + [0, 255]).readableBytesView)
        for size in [1, 2, 3, 7, 64, body.count] {
            var parser = try #require(MultipartStream(contentType: "multipart/form-data; boundary=\(DocumentRoutesTests.boundary)"))
            var events: [MultipartStream.Event] = []
            var index = 0
            while index < body.count {
                events += try parser.feed(Array(body[index..<min(index + size, body.count)]))
                index += size
            }
            try parser.finish()
            var merged: [MultipartStream.Event] = []
            for event in events {
                if case .data(let more) = event, case .data(let earlier)? = merged.last { merged[merged.count - 1] = .data(earlier + more) } else { merged.append(event) }
            }
            #expect(merged == [
                .part(name: "title", fileName: nil, contentType: nil), .data(Array("Report".utf8)), .end,
                .part(name: "date", fileName: nil, contentType: nil), .data(Array("2025-11-15".utf8)), .end,
                .part(name: "file", fileName: "cbc.pdf", contentType: "application/pdf"), .data(Array("x\r\n--y".utf8) + [0, 255]), .end,
            ], "chunk size \(size)")
        }
        #expect(MultipartStream(contentType: "application/json") == nil)
    }

    /// The boundary search finds what the standard library's search finds, on seeded random bytes
    /// over a small alphabet (so near-misses are frequent) and at the edges.
    @Test func theBoundarySearchAgreesWithTheStandardLibrary() {
        var random = SplitMix64(seed: 11)
        for _ in 0..<2000 {
            let haystack = (0..<random.next(below: 40)).map { _ in UInt8(random.next(below: 3)) }
            let needle = (0..<(1 + random.next(below: 4))).map { _ in UInt8(random.next(below: 3)) }
            #expect(MultipartStream.firstRange(of: needle, in: haystack) == haystack.firstRange(of: needle), "\(needle) in \(haystack)")
        }
        #expect(MultipartStream.firstRange(of: [1, 2], in: [1]) == nil)
        #expect(MultipartStream.firstRange(of: [1, 2], in: [0, 1, 2]) == 1..<3)
    }
}
