import ArgumentParser

/// `edgectl`: provisioning and operating CloudCare Edge nodes.
@main
struct EdgeCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edgectl",
        abstract: "Provision and operate CloudCare Edge nodes: deployment CA, node identities, administrators, Apple Health imports, status, replica verification.",
        subcommands: [CACommand.self, NodeCommand.self, UserCommand.self, ImportCommand.self, StatusCommand.self, VerifyCommand.self]
    )
}
