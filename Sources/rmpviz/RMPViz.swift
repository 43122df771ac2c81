import ArgumentParser
import MemoryModel
import BuiltinScenes
import Glibc
import SceneLanguage

/// The command line: the viewer by default, and tools that work without a terminal.
@main
struct RMPViz: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rmpviz",
        abstract: "Watch SEV-SNP private memory conversion page by page: the RMP table, the host direct map, the shared fd and the private fd side by side.",
        discussion: """
            With no subcommand, opens the viewer on a scene (the built-in ghcb-upm scene by default).
            Exit status: 0 ok, 1 an expectation failed, 64 bad usage, 65 a scene error, 66 a file that cannot be read.
            """,
        version: "rmpviz 0.1.0",
        subcommands: [View.self, Check.self, Run.self, Explore.self, List.self, Present.self, Notes.self, ExportFrames.self, Bench.self],
        defaultSubcommand: View.self)

    /// The argument parser's own `main`, except that its error messages (which quote the arguments)
    /// are made safe before they reach the terminal.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                // Help, the version and completion scripts: our own text, printed as it is.
                if !message.isEmpty { print(message) }
            } else if !message.isEmpty {
                printError(message)
            }
            Glibc.exit(code.rawValue)
        }
    }
}

/// Runs a command body, turning a `CLIFailure` into its message and exit status.
func exiting(_ body: () throws(CLIFailure) -> Void) throws {
    do {
        try body()
    } catch {
        if !error.message.isEmpty { printError(error.message) }
        throw ExitCode(error.status)
    }
}

/// `rmpviz list`: the built-in scenes and decks.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the built-in scenes and decks, name and title; or the kernels and settings.",
        discussion: "Example: rmpviz list   ·   rmpviz list --settings")

    @Flag(help: "List the kernels and every setting (values, default per kernel, meaning) as Markdown.")
    var settings = false

    func run() throws {
        if settings {
            for k in Kernel.allCases { print("- `\(k.rawValue)`\(k == .default ? " (default)" : ""): \(k.summary)") }
            print("")
            print(SettingKey.markdownTable())
            return
        }
        let nameWidth = (BuiltinScenes.all.map(\.name.count).max() ?? 0) + 1
        for file in BuiltinScenes.all {
            let title: String
            if file.isDeck {
                title = (try? parseDeck(bytes: file.bytes, path: file.fileName).get().title) ?? nil ?? "(deck)"
            } else {
                title = (try? parseScene(bytes: file.bytes, path: file.fileName).get().title) ?? "(does not parse)"
            }
            let kind = file.isDeck ? "deck " : "scene"
            print("\(kind) \(file.name + String(repeating: " ", count: max(0, nameWidth - file.name.count))) \(Diagnostic.printable(title))")
        }
    }
}
