import Domain
import Foundation
import Replication

/// A throwaway deployment PKI for the benchmark: one CA, and a certificate per node it needs,
/// written as the PEM files a provisioned node starts from.
struct BenchPKI {
    let directory: String
    let ca: PEMKeyPair

    init(directory: String) throws {
        self.directory = directory
        ca = try DeploymentPKI.makeCertificateAuthority(name: "bench CA", now: Date(), validity: 86_400)
        try ca.certificate.write(toFile: path("ca.crt"), atomically: true, encoding: .utf8)
    }

    /// The mutual-TLS setup of a node with this id, its certificate signed by the bench CA.
    func mutualTLS(for nodeID: NodeID, name: String) throws -> MutualTLS {
        let request = try DeploymentPKI.makeNodeRequest(nodeID: nodeID, facility: HospitalCode("HC-BENCH1")!, name: name)
        let certificate = try DeploymentPKI.sign(request: request.certificate, with: ca, now: Date(), validity: 86_400)
        try certificate.write(toFile: path("\(name).crt"), atomically: true, encoding: .utf8)
        try request.privateKey.write(toFile: path("\(name).key"), atomically: true, encoding: .utf8)
        return try MutualTLS(certificatePath: path("\(name).crt"), privateKeyPath: path("\(name).key"), caPath: path("ca.crt"))
    }

    private func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
}
