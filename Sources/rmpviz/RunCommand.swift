import ArgumentParser
import Export
import Glibc
import SceneLanguage
import StepEngine

/// `rmpviz run`: print a run without a terminal, as text or JSON Lines.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a run of a scene, one line per page-level action.",
        discussion: """
            text: step, action, actor, operation, page, frame, what changed and the outcomes.
            json: JSON Lines, one object per action, then {"ending": ..., "outcomes": [...], "steps_run": N, "steps": M}.

            Example: rmpviz run ghcb-upm --variant discard --format json
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "A scene file or a built-in scene name.")
    var scene: String

    @Option(help: "The variant to run (default: the first).")
    var variant: String?

    @OptionGroup var settings: SettingOptions

    @Option(help: "Output format.")
    var format: Format = .text

    func run() throws {
        try exiting { () throws(CLIFailure) in
            let trace = try loadTrace(scene, variant: variant, overrides: settings.overrides())
            var out = OutputBuffer()
            switch format {
            case .text: RunReport.text(trace) { out.line($0) }
            case .json: RunReport.json(trace) { out.line($0) }
            }
            out.flush()
        }
    }
}

/// Loads one scene and runs the chosen variant with the overrides.
func loadTrace(_ reference: String, variant: String?, overrides: [Setting]) throws(CLIFailure) -> Trace {
    let loaded = try SceneLoader.load(reference, overrides: overrides)
    guard loaded.count == 1, let first = loaded.first else {
        throw CLIFailure(status: 64, message: "rmpviz: \(Diagnostic.printable(reference)) is a deck; name one scene")
    }
    let scene = first.scene
    var index: Int? = scene.variants.isEmpty ? nil : 0
    if let v = variant ?? first.variant {
        guard let i = scene.variants.firstIndex(where: { $0.name == v }) else {
            let names = scene.variants.map(\.name)
            throw CLIFailure(status: 64, message: "rmpviz: \(Diagnostic.printable(scene.path)) has no variant '\(v)'; " +
                (names.isEmpty ? "it has no variants" : "its variants: \(names.joined(separator: ", "))"))
        }
        index = i
    }
    return Engine.run(scene, variant: index)
}

/// Buffered standard output: a million-line run should not make a million write calls.
struct OutputBuffer {
    private var buffer: [UInt8] = []

    mutating func line(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        buffer.append(10)
        if buffer.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        writeAll(buffer, to: 1)
        buffer.removeAll(keepingCapacity: true)
    }
}
