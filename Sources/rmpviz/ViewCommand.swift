import ArgumentParser

/// The viewer (the default command): opens a scene in the terminal.
struct View: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a scene in the terminal viewer (the default command).",
        discussion: "Example: rmpviz ghcb-upm --variant discard")

    @Argument(help: "A scene file or built-in scene name.")
    var scene: String = "ghcb-upm"

    @Option(help: "The variant to show first (default: the first).")
    var variant: String?

    @Option(name: .customLong("set"), help: "Override a setting, e.g. --set discard-on-convert=on.")
    var settings: [String] = []

    @Flag(help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    func run() throws {
        try exiting { () throws(CLIFailure) in
            let trace = try loadTrace(scene, variant: variant, settings: settings)
            print("\(trace.scene.title): \(trace.actionCount) actions, \(trace.ending)")
        }
    }
}
