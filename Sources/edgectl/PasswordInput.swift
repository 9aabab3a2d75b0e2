import ArgumentParser
import Foundation

/// A password read from a file or from standard input — never from the command line, where it
/// would land in the shell's history and the process list.
struct PasswordInput: ParsableArguments {
    @Option(help: "A file holding the password (default: the first line of standard input).") var passwordFile: String?

    func read() throws -> String {
        guard let passwordFile else { return readLine(strippingNewline: true) ?? "" }
        guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else { throw CLIError("cannot read \(passwordFile)") }
        return text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
    }
}
