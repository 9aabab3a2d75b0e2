import Domain
import Foundation
import GRDB
import Testing
@testable import Replication

@Suite struct DeploymentPKITests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let year: TimeInterval = 365 * 24 * 3600
    let facility = HospitalCode("HC-B2631D")!

    @Test func aSignedNodeCertificateAttestsItsNodeAndFacility() throws {
        let ca = try DeploymentPKI.makeCertificateAuthority(name: "Test deployment", now: now, validity: 10 * year)
        let node = TestSchema.nodeID(7)
        let request = try DeploymentPKI.makeNodeRequest(nodeID: node, facility: facility, name: "ward-2")
        #expect(request.certificate.hasPrefix("-----BEGIN CERTIFICATE REQUEST-----"))
        #expect(request.privateKey.contains("PRIVATE KEY"))
        let certificate = try DeploymentPKI.sign(request: request.certificate, with: ca, now: now, validity: year)
        let identity = try DeploymentPKI.identity(of: certificate, issuedBy: ca.certificate, at: now.addingTimeInterval(3600))
        #expect(identity == NodeCertificateIdentity(nodeID: node, facility: facility))
    }

    @Test func anotherDeploymentsCertificateIsRefused() throws {
        let ours = try DeploymentPKI.makeCertificateAuthority(name: "Ours", now: now, validity: year)
        let theirs = try DeploymentPKI.makeCertificateAuthority(name: "Theirs", now: now, validity: year)
        let request = try DeploymentPKI.makeNodeRequest(nodeID: TestSchema.nodeID(1), facility: facility, name: "x")
        let foreign = try DeploymentPKI.sign(request: request.certificate, with: theirs, now: now, validity: year)
        #expect(throws: ReplicationError.self) { try DeploymentPKI.identity(of: foreign, issuedBy: ours.certificate, at: now) }
        // Same subject name, different key: still refused (the signature decides, not the name).
        let impostor = try DeploymentPKI.makeCertificateAuthority(name: "Ours", now: now, validity: year)
        let forged = try DeploymentPKI.sign(request: request.certificate, with: impostor, now: now, validity: year)
        #expect(throws: ReplicationError.self) { try DeploymentPKI.identity(of: forged, issuedBy: ours.certificate, at: now) }
    }

    @Test func expiredCertificatesAndTheCAItselfAreNotNodeIdentities() throws {
        let ca = try DeploymentPKI.makeCertificateAuthority(name: "CA", now: now, validity: 10 * year)
        let request = try DeploymentPKI.makeNodeRequest(nodeID: TestSchema.nodeID(1), facility: facility, name: "x")
        let certificate = try DeploymentPKI.sign(request: request.certificate, with: ca, now: now, validity: year)
        #expect(throws: ReplicationError.self) {
            try DeploymentPKI.identity(of: certificate, issuedBy: ca.certificate, at: now.addingTimeInterval(2 * year))
        }
        #expect(throws: (any Error).self) { try DeploymentPKI.identity(of: ca.certificate, issuedBy: ca.certificate, at: now) }
    }

    @Test func aTamperedRequestIsNotSigned() throws {
        let ca = try DeploymentPKI.makeCertificateAuthority(name: "CA", now: now, validity: year)
        let request = try DeploymentPKI.makeNodeRequest(nodeID: TestSchema.nodeID(1), facility: facility, name: "x")
        var lines = request.certificate.split(separator: "\n").map(String.init)
        var body = Array(lines[2])
        body[10] = body[10] == "A" ? "B" : "A"
        lines[2] = String(body)
        #expect(throws: (any Error).self) {
            try DeploymentPKI.sign(request: lines.joined(separator: "\n"), with: ca, now: now, validity: year)
        }
        #expect(throws: (any Error).self) { try DeploymentPKI.sign(request: "not a request", with: ca, now: now, validity: year) }
    }
}

@Suite struct NodeRevocationTests {
    @Test func onlyTheDeploymentCAsSignatureCounts() async throws {
        let now = Date()
        let ca = try DeploymentPKI.makeCertificateAuthority(name: "CA", now: now, validity: 3600)
        let other = try DeploymentPKI.makeCertificateAuthority(name: "CA", now: now, validity: 3600)
        let node = TestSchema.nodeID(3)
        let revocation = try NodeRevocation.issue(revoking: node, at: 42, caPrivateKeyPEM: ca.privateKey)
        #expect(revocation.isSigned(by: ca.certificate))
        #expect(!revocation.isSigned(by: other.certificate))
        #expect(!NodeRevocation(nodeId: TestSchema.nodeID(4), revokedAt: 42, signature: revocation.signature).isSigned(by: ca.certificate))

        let schema = ReplicationSchema(tables: [NodeRevocations.table])
        let a = try ReplicatedStore.inMemory(schema: schema, migrations: NodeRevocations.registerMigration, nodeID: TestSchema.nodeID(1))
        let b = try ReplicatedStore.inMemory(schema: schema, migrations: NodeRevocations.registerMigration, nodeID: TestSchema.nodeID(2))
        await #expect(throws: ReplicationError.self) {
            try await NodeRevocations.record(try NodeRevocation.issue(revoking: node, at: 1, caPrivateKeyPEM: other.privateKey), caPEM: ca.certificate, in: a)
        }
        #expect(try await NodeRevocations.record(revocation, caPEM: ca.certificate, in: a))
        #expect(try await !NodeRevocations.record(revocation, caPEM: ca.certificate, in: a))
        #expect(try await !NodeRevocations.isRevoked(node, caPEM: ca.certificate, in: b))
        try await b.apply(try await a.changes(since: 0, limit: 10))
        #expect(try await NodeRevocations.isRevoked(node, caPEM: ca.certificate, in: b), "revocations replicate")
        #expect(try await !NodeRevocations.isRevoked(node, caPEM: other.certificate, in: b), "and are checked against the CA on use")
    }
}
