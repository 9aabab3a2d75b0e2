import ArgumentParser

/// `edgectl`: provisioning and operating CloudCare Edge nodes.
@main
struct EdgeCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edgectl",
        abstract: "Operate CloudCare Edge nodes: status of a node and its peers, replica verification.",
        subcommands: [StatusCommand.self, VerifyCommand.self]
    )
}
