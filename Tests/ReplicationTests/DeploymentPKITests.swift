import Domain
import Foundation
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
