import Foundation
import NIOSSL

/// A node's mutual-TLS setup, from its PEM files: the server side of its replication port, the
/// client side of its connections to peers, and the identity its certificate attests.
///
/// Both sides require the other's certificate and verify it against the deployment CA, so a
/// peer without a certificate from this deployment is refused during the handshake, before any
/// data flows. Peers are reached by address (LAN discovery yields addresses), so host names are
/// not checked: the deployment CA is the trust anchor.
public struct MutualTLS: Sendable {
    public let server: TLSConfiguration
    public let client: TLSConfiguration
    public let identity: NodeCertificateIdentity
    /// The deployment CA certificate, PEM.
    public let caPEM: String

    public init(certificatePath: String, privateKeyPath: String, caPath: String, now: Date = Date()) throws {
        func read(_ path: String) throws -> String {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ReplicationError.invalidConfiguration("cannot read \(path)")
            }
            return text
        }
        let certificatePEM = try read(certificatePath), caPEM = try read(caPath)
        identity = try DeploymentPKI.identity(of: certificatePEM, issuedBy: caPEM, at: now)
        self.caPEM = caPEM
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map(NIOSSLCertificateSource.certificate)
        let key = NIOSSLPrivateKeySource.privateKey(try NIOSSLPrivateKey(bytes: Array(try read(privateKeyPath).utf8), format: .pem))
        let trust = NIOSSLTrustRoots.certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))

        var server = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: key)
        server.certificateVerification = .noHostnameVerification
        server.trustRoots = trust
        server.minimumTLSVersion = .tlsv12
        var client = TLSConfiguration.makeClientConfiguration()
        client.certificateChain = chain
        client.privateKey = key
        client.certificateVerification = .noHostnameVerification
        client.trustRoots = trust
        client.minimumTLSVersion = .tlsv12
        self.server = server
        self.client = client
    }

    /// The client side for dialling a known node under its certificate's host name
    /// (`DeploymentPKI.hostName`): the server must present a certificate of this CA for exactly
    /// that name, so for exactly that node of exactly that facility.
    public var hostNameVerifyingClient: TLSConfiguration {
        var configuration = client
        configuration.certificateVerification = .fullVerification
        return configuration
    }

    /// The identity of a TLS peer's certificate, if it is a current certificate of this
    /// deployment's CA; `nil` otherwise.
    public func identity(ofPeer certificate: NIOSSLCertificate, at now: Date = Date()) -> NodeCertificateIdentity? {
        guard let der = try? certificate.toDERBytes() else { return nil }
        return try? DeploymentPKI.identity(ofDER: der, issuedBy: caPEM, at: now)
    }
}
