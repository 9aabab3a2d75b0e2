import ArgumentParser
import Domain
import Foundation

/// `edgectl user`: accounts only an operator creates.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Create accounts that have no public sign-up.", subcommands: [CreateAdmin.self]
    )

    /// `edgectl user create-admin --node URL --config bundle-hub/config.json --email E`: a
    /// SYSTEM_ADMIN account, created at the hub with the hub's own bundle and replicated from
    /// there. The password is read from a file or from standard input, never from the command line.
    struct CreateAdmin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create-admin", abstract: "Create a SYSTEM_ADMIN account.")

        @Option(help: "The hub's replication URL (https://host:8443 when provisioned).") var node: String
        @Option(help: "The administrator's email.") var email: String
        @OptionGroup var password: PasswordInput
        @OptionGroup var connection: NodeConnection

        struct CreatedAccount: Decodable {
            let id: String
            let email: String
            let role: String
        }

        func run() async throws {
            let account = try await connection.post(
                SystemAdminForm(email: email, password: try password.read()), to: node, path: "/admin/v1/system-admins", decoding: CreatedAccount.self
            )
            print("Created \(account.role) \(account.email) (id \(account.id)); it replicates to every node.")
        }
    }
}
