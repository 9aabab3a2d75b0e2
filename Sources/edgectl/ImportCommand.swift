import ArgumentParser
import AsyncHTTPClient
import Domain
import Foundation
import NIOCore

/// `edgectl import`: bringing data from elsewhere into a node.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import data brought from elsewhere into a node.", subcommands: [AppleHealth.self]
    )

    /// `edgectl import apple-health export.zip --patient ID --node URL --email E`: uploads the Health
    /// app's own export (export.zip, or the export.xml inside it) to the patient's record, signed
    /// in as the patient, streamed with a progress bar. The node unpacks and stores it while it
    /// arrives; importing the same file again adds nothing.
    struct AppleHealth: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apple-health", abstract: "Import a Health app export (export.zip or export.xml) into a patient's record."
        )

        @Argument(help: "export.zip, or the export.xml inside it.") var file: String
        @Option(help: "The patient's id (the record the samples belong to).") var patient: String
        @Option(help: "The node's base URL, e.g. http://127.0.0.1:8000") var node: String
        @Option(help: "The patient's email (the import is done as the patient).") var email: String
        @OptionGroup var password: PasswordInput

        func run() async throws {
            guard let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int64, FileManager.default.isReadableFile(atPath: file) else {
                throw CLIError("cannot read \(file)")
            }
            guard let patientID = Patient.ID(patient) else { throw ValidationError("--patient must be a patient id (a UUID)") }
            let base = (node.hasSuffix("/") ? String(node.dropLast()) : node) + "/api/v1"
            let token = try await signIn(base)
            var request = HTTPClientRequest(url: base + "/wearables/import/apple-health/export?patient_id=\(patientID)")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: file.lowercased().hasSuffix(".zip") ? "application/zip" : "application/xml")
            request.body = .stream(FileChunks(path: file, size: size), length: .known(size))
            let report: ImportReport = try await send(request, within: .hours(24))
            print(report.summary(file: (file as NSString).lastPathComponent))
        }

        private func signIn(_ base: String) async throws -> String {
            struct Tokens: Decodable { let accessToken: String }
            var request = HTTPClientRequest(url: base + "/auth/login")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(["email": email, "password": try password.read()])))
            let tokens: Tokens = try await send(request, within: .seconds(30))
            return tokens.accessToken
        }

        private struct ErrorBody: Decodable { let detail: String }

        private func send<T: Decodable>(_ request: HTTPClientRequest, within timeout: TimeAmount) async throws -> T {
            let response: HTTPClientResponse
            let body: ByteBuffer
            do {
                response = try await HTTPClient.shared.execute(request, timeout: timeout)
                body = try await response.body.collect(upTo: 1 << 20)
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError("cannot reach \(node): \(error)")
            }
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            guard (200..<300).contains(response.status.code) else {
                let detail = (try? decoder.decode(ErrorBody.self, from: Data(body.readableBytesView)))?.detail ?? String(buffer: body)
                throw CLIError("\(node) answered \(response.status.code): \(detail)")
            }
            do { return try decoder.decode(T.self, from: Data(body.readableBytesView)) } catch {
                throw CLIError("\(node) sent an answer edgectl cannot read (is it a CloudCare Edge node of this version?)")
            }
        }
    }
}

/// The node's answer to an import.
struct ImportReport: Decodable {
    struct Count: Decodable {
        let type: String
        let count: Int
    }

    struct Rejection: Decodable {
        let index: Int
        let reason: String
    }

    let patientId: String
    let received: Int
    let accepted: Int
    let duplicates: Int
    let rejected: Int
    let unknownTypes: [Count]
    let rejections: [Rejection]

    func summary(file: String) -> String {
        func number(_ value: Int) -> String { value.formatted(.number.grouping(.automatic)) }
        var lines = ["Imported \(file) into patient \(patientId): \(number(received)) records read — \(number(accepted)) new, "
            + "\(number(duplicates)) already stored, \(number(rejected)) not stored."]
        if !unknownTypes.isEmpty {
            lines.append("Types this node does not keep: " + unknownTypes.map { "\($0.type) (\(number($0.count)))" }.joined(separator: ", "))
        }
        let invalid = rejections.filter { !$0.reason.hasPrefix("unknown metric type") }
        for rejection in invalid.prefix(5) { lines.append("Record \(number(rejection.index)): \(rejection.reason)") }
        return lines.joined(separator: "\n")
    }
}
