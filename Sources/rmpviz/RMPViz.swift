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
            With no subcommand, opens the viewer on a scene (the built-in ghcb-upm scene by default): 'rmpviz ghcb-upm' is 'rmpviz view ghcb-upm'.

            Exit status:
              0    ok
              1    a check failed: an expectation, check --fit, or explore --witness
              64   bad usage: an unknown command, option or value; a deck for a scene
              65   a scene, deck or theme error (compiler-style diagnostics)
              66   a file that cannot be read, or no built-in scene of that name
              69   no usable terminal (the viewer, present, notes, the explore matrix)
              73   an output that cannot be written (export -o, explore -o, --notes)
              129  ended by SIGHUP (the viewer, present, notes, explore)
              130  explore stopped by Ctrl-C without a terminal: the counts are partial
              143  ended by SIGTERM (the viewer, present, notes, explore)

            In the viewer, present and notes, q and Ctrl-C quit with 0. Other commands take a signal's default action: the shell reports 130, 143 or 129.

            Example: rmpviz check ghcb-upm
            """,
        version: "rmpviz 0.1.0",
        subcommands: [View.self, Check.self, Run.self, Explore.self, List.self, Present.self, Notes.self, ExportFrames.self, Bench.self],
        defaultSubcommand: View.self)

    /// The argument parser's own `main`, except that its error messages (which quote the arguments)
    /// are made safe before they reach the terminal.
    static func main() {
        TimingLog().phase("main")
        if let failure = unknownCommand(Array(CommandLine.arguments.dropFirst())) {
            printFailure(failure)
            Glibc.exit(failure.status)
        }
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let scene = viewerAlone(arguments) {
            do throws(CLIFailure) {
                try View.open(scene)
                Glibc.exit(0)
            } catch {
                printFailure(error)
                Glibc.exit(error.status)
            }
        }
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

    /// The scene of `rmpviz` or `rmpviz SCENE` (no option, no command), which open the viewer
    /// with every default; nil for anything the argument parser must read.
    static func viewerAlone(_ arguments: [String]) -> String? {
        guard arguments.count <= 1, !arguments.contains(where: { $0.hasPrefix("-") || $0.isEmpty }) else { return nil }
        let commands = configuration.subcommands.map { $0._commandName } + ["help"]
        guard let word = arguments.first else { return View.defaultScene }
        return commands.contains(word) ? nil : word
    }

    /// The viewer is the default command, so `rmpviz chek` would open a scene named chek. A first
    /// word that is no file and no built-in scene, but is close to a command's name, is a misspelt
    /// command (exit 64); one close to a built-in scene's name is left to the viewer, which suggests it.
    static func unknownCommand(_ arguments: [String]) -> CLIFailure? {
        guard let word = arguments.first, !word.hasPrefix("-"), !word.contains("/") else { return nil }
        let commands = configuration.subcommands.map { $0._commandName } + ["help"]
        guard !commands.contains(word), !Path.exists(word), BuiltinScenes.named(word) == nil,
              SceneLoader.nearBuiltin(word).isEmpty else { return nil }
        let near = Suggest.didYouMean(word, in: commands)
        guard !near.isEmpty else { return nil }
        return CLIFailure(status: 64, message: "rmpviz: unknown command '\(Diagnostic.printable(word))'\(near)")
    }
}

/// Runs a command body, turning a `CLIFailure` into its message and exit status.
func exiting(_ body: () throws(CLIFailure) -> Void) throws {
    do {
        try body()
    } catch {
        printFailure(error)
        throw ExitCode(error.status)
    }
}

/// `rmpviz list`: the built-in scenes and decks.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
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
