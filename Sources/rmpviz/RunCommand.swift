import ArgumentParser
import BuiltinScenes
import Export
import Glibc
import MemoryModel
import SceneLanguage
import StepEngine

/// `rmpviz run`: print a run without a terminal, as text or JSON Lines.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Print a run of a scene, one line per page-level action.",
        discussion: """
            text: step, action, actor, operation, page, frame, what changed and the outcomes.
            json: JSON Lines, one object per action, then {"ending": ..., "outcomes": [...], "steps_run": N, "steps": M}.
            --compare B: where the two runs first differ, in one line, then per step the rows (by gfn) that differ;
            json: one object per step with its differing rows, then {"diverges_at": {"step", "action"} or null, "left": ..., "right": ...}.
            Exit status: 0 ok, 64 bad usage (a deck: use 'rmpviz present'), 65 a scene error, 66 a file that cannot be read.

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

    @Option(help: ArgumentHelp("Compare with another run of the scene: a variant, or KEY=VALUE[,KEY=VALUE…] on top of this variant.",
                               valueName: "VARIANT|SETTINGS"))
    var compare: String?

    func run() throws {
        try exiting { () throws(CLIFailure) in
            let trace = try loadTrace(scene, variant: variant, overrides: settings.overrides(), command: "'rmpviz run'")
            var out = OutputBuffer()
            if let compare {
                let other = try compareSide(compare, against: trace).right
                let comparison = RunComparison(left: trace, right: other)
                switch format {
                case .text: CompareReport.text(comparison) { out.line($0) }
                case .json: CompareReport.json(comparison) { out.line($0) }
                }
                out.flush()
                return
            }
            switch format {
            case .text: RunReport.text(trace) { out.line($0) }
            case .json: RunReport.json(trace) { out.line($0) }
            }
            out.flush()
        }
    }
}

/// Loads one scene and runs the chosen variant with the overrides. `command` names what refuses a
/// deck ("the viewer", "'rmpviz run'"): a deck is presented, not viewed or run.
func loadTrace(_ reference: String, variant: String?, overrides: [Setting],
               command: String = "the viewer") throws(CLIFailure) -> Trace {
    let (path, bytes) = try SceneLoader.read(reference)
    if SceneLoader.isDeck(path: path, bytes: bytes) { throw deckRefused(reference, path: path, bytes: bytes, command: command) }
    let first = try SceneLoader.parse(path: path, bytes: bytes, overrides: overrides)
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

/// A deck given to a command that shows or runs one scene: point at `present`, and name its scenes.
func deckRefused(_ reference: String, path: String, bytes: [UInt8], command: String) -> CLIFailure {
    let shown = Diagnostic.printable(reference)
    var scenes: [String] = []
    if case .success(let deck) = parseDeck(bytes: bytes, path: path) {
        // As the command line can name them: a file next to the deck by its path, a built-in by name.
        let fromFile = Path.exists(reference)
        for e in deck.entries {
            let file = Path.join(Path.folder(path), e.reference)
            var name = fromFile && Path.exists(file) ? file : e.reference
            if name == e.reference, name.hasSuffix(".scene"), BuiltinScenes.named(name) != nil { name.removeLast(".scene".count) }
            if !scenes.contains(name) { scenes.append(name) }
        }
    }
    let list = scenes.isEmpty ? "" : ", or name one of its scenes: " + Diagnostic.printable(scenes.joined(separator: ", "))
    return CLIFailure(status: 64, message: "rmpviz: \(shown) is a deck, and \(command) takes one scene; "
                      + "use 'rmpviz present \(shown)' instead\(list)")
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
