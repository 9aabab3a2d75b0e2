import Crypto
import Domain
import Foundation
import SwiftASN1
import X509

/// What a node certificate attests: the node's id and the facility it serves.
public struct NodeCertificateIdentity: Equatable, Sendable {
    public let nodeID: NodeID
    public let facility: HospitalCode

    public init(nodeID: NodeID, facility: HospitalCode) {
        self.nodeID = nodeID
        self.facility = facility
    }
}

/// A PEM-encoded certificate and the PEM-encoded private key that goes with it.
public struct PEMKeyPair: Sendable {
    public let certificate: String
    public let privateKey: String

    public init(certificate: String, privateKey: String) {
        self.certificate = certificate
        self.privateKey = privateKey
    }
}

/// The deployment's public-key infrastructure: one CA (its key kept offline by the admin) issues
/// every node a certificate naming the node id and facility, as URIs in its subject alternative
/// names (`urn:cloudcare:node:<uuid>`, `urn:cloudcare:facility:HC-XXXXXX`). Keys are P-256.
public enum DeploymentPKI {
    static let nodeURIPrefix = "urn:cloudcare:node:"
    static let facilityURIPrefix = "urn:cloudcare:facility:"

    /// A new deployment CA: a key and a self-signed certificate that may sign node certificates
    /// only (path length 0).
    public static func makeCertificateAuthority(name: String, now: Date, validity: TimeInterval) throws -> PEMKeyPair {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            CommonName(name)
            OrganizationName("CloudCare Edge deployment")
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(validity),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(key)
        )
        return PEMKeyPair(certificate: try certificate.serializeAsPEM().pemString, privateKey: key.pemRepresentation)
    }

    /// A node's new key and a certificate signing request naming its id, facility and name.
    /// Returns the request (as `certificate`) and the key.
    public static func makeNodeRequest(nodeID: NodeID, facility: HospitalCode, name: String) throws -> PEMKeyPair {
        let key = P256.Signing.PrivateKey()
        let names = SubjectAlternativeNames([
            .uniformResourceIdentifier(nodeURIPrefix + nodeID.description),
            .uniformResourceIdentifier(facilityURIPrefix + facility.value),
        ])
        let request = try CertificateSigningRequest(
            version: .v1,
            subject: try DistinguishedName {
                OrganizationName(facility.value)
                CommonName(name)
            },
            privateKey: .init(key),
            attributes: CertificateSigningRequest.Attributes([
                try .init(ExtensionRequest(extensions: try Certificate.Extensions { names })),
            ])
        )
        return PEMKeyPair(certificate: try request.serializeAsPEM().pemString, privateKey: key.pemRepresentation)
    }

    /// Issues the node certificate a request asks for, after checking the request's signature and
    /// the identity it names. The certificate serves both ends of mutual TLS.
    public static func sign(request requestPEM: String, with ca: PEMKeyPair, now: Date, validity: TimeInterval) throws -> String {
        let request = try CertificateSigningRequest(pemEncoded: requestPEM)
        guard request.publicKey.isValidSignature(request.signature, for: request) else {
            throw ReplicationError.invalidConfiguration("the certificate request's signature is invalid")
        }
        let names = try request.attributes.extensionRequest?.extensions.subjectAlternativeNames ?? SubjectAlternativeNames()
        let identity = try identity(in: names)
        let caCertificate = try Certificate(pemEncoded: ca.certificate)
        let caKey = try Certificate.PrivateKey(pemEncoded: ca.privateKey)
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: request.publicKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(validity),
            issuer: caCertificate.subject, subject: request.subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyAgreement: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames([
                    .uniformResourceIdentifier(nodeURIPrefix + identity.nodeID.description),
                    .uniformResourceIdentifier(facilityURIPrefix + identity.facility.value),
                    .dnsName(hostName(of: identity)),
                ])
            },
            issuerPrivateKey: caKey
        )
        return try certificate.serializeAsPEM().pemString
    }

    /// The DNS name a node certificate also carries: `<node id>.<facility>.nodes.cloudcare-edge.internal`
    /// (never resolved). A peer dialled under it, with TLS host-name verification, must present
    /// a certificate for exactly that node of exactly that facility.
    public static func hostName(of identity: NodeCertificateIdentity) -> String {
        "\(identity.nodeID).\(identity.facility.value.lowercased()).nodes.cloudcare-edge.internal"
    }

    /// The identity a node certificate attests, once it is shown to be issued by `caPEM`, valid
    /// at `now`, and not itself a CA.
    public static func identity(of certificatePEM: String, issuedBy caPEM: String, at now: Date) throws -> NodeCertificateIdentity {
        try identity(of: try Certificate(pemEncoded: certificatePEM), issuedBy: try Certificate(pemEncoded: caPEM), at: now)
    }

    /// The same check for a DER-encoded certificate, as a TLS handshake presents it.
    public static func identity(ofDER certificateDER: [UInt8], issuedBy caPEM: String, at now: Date) throws -> NodeCertificateIdentity {
        try identity(of: try Certificate(derEncoded: certificateDER), issuedBy: try Certificate(pemEncoded: caPEM), at: now)
    }

    private static func identity(of certificate: Certificate, issuedBy ca: Certificate, at now: Date) throws -> NodeCertificateIdentity {
        guard certificate.issuer == ca.subject, ca.publicKey.isValidSignature(certificate.signature, for: certificate) else {
            throw ReplicationError.invalidConfiguration("the certificate was not issued by this deployment's CA")
        }
        guard certificate.notValidBefore <= now, now <= certificate.notValidAfter else {
            throw ReplicationError.invalidConfiguration("the certificate is expired or not yet valid")
        }
        if case .isCertificateAuthority = try certificate.extensions.basicConstraints {
            throw ReplicationError.invalidConfiguration("a CA certificate is not a node certificate")
        }
        return try identity(in: try certificate.extensions.subjectAlternativeNames ?? SubjectAlternativeNames())
    }

    private static func identity(in names: SubjectAlternativeNames) throws -> NodeCertificateIdentity {
        var nodeID: NodeID?
        var facility: HospitalCode?
        for case .uniformResourceIdentifier(let uri) in names {
            if uri.hasPrefix(nodeURIPrefix) { nodeID = NodeID(String(uri.dropFirst(nodeURIPrefix.count))) }
            if uri.hasPrefix(facilityURIPrefix) { facility = HospitalCode(String(uri.dropFirst(facilityURIPrefix.count))) }
        }
        guard let nodeID, let facility else {
            throw ReplicationError.invalidConfiguration("the certificate does not name a node id and a facility code")
        }
        return NodeCertificateIdentity(nodeID: nodeID, facility: facility)
    }
}

/// A node's certificate revoked by the deployment CA: signed by the CA key, so every node can check
/// it whoever relayed it, and replicated to every node, which then refuses that node.
public struct NodeRevocation: Codable, Sendable, Equatable {
    public let nodeId: NodeID
    /// Milliseconds since 1970.
    public let revokedAt: Int64
    /// Base64 of the CA's ECDSA P-256 signature over `signedText`.
    public let signature: String

    var signedText: String { "cloudcare-edge-revocation:\(nodeId):\(revokedAt)" }

    public init(nodeId: NodeID, revokedAt: Int64, signature: String) {
        self.nodeId = nodeId
        self.revokedAt = revokedAt
        self.signature = signature
    }

    /// Revokes `nodeID`, signing with the CA key.
    public static func issue(revoking nodeID: NodeID, at revokedAt: Int64, caPrivateKeyPEM: String) throws -> NodeRevocation {
        let key = try P256.Signing.PrivateKey(pemRepresentation: caPrivateKeyPEM)
        let unsigned = NodeRevocation(nodeId: nodeID, revokedAt: revokedAt, signature: "")
        let signature = try key.signature(for: Data(unsigned.signedText.utf8))
        return NodeRevocation(nodeId: nodeID, revokedAt: revokedAt, signature: signature.derRepresentation.base64EncodedString())
    }

    /// Whether the deployment CA `caPEM` signed this revocation.
    public func isSigned(by caPEM: String) -> Bool {
        guard let ca = try? Certificate(pemEncoded: caPEM), let key = P256.Signing.PublicKey(ca.publicKey),
              let bytes = Data(base64Encoded: signature), let signature = try? P256.Signing.ECDSASignature(derRepresentation: bytes)
        else { return false }
        return key.isValidSignature(signature, for: Data(signedText.utf8))
    }
}
