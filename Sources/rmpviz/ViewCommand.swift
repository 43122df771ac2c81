import ArgumentParser
import Glibc
import SceneLanguage
import Screen
import StepEngine
import Viewer

/// The viewer (the default command): opens a scene in the terminal.
struct View: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Every command is named in its configuration: ArgumentParser would otherwise derive the
        // name with String(describing:), a protocol-conformance scan of the binary at each start.
        commandName: "view",
        abstract: "Open a scene in the terminal viewer (the default command).",
        discussion: """
            Keys: → Space next action, ← previous, ] [ step, v variant, c compare, Tab table, Enter page history, / find, ? help, q quit.
            Exit status: 0 quit (q or Ctrl-C), 64 bad usage (a deck: use 'rmpviz present'), 65 a scene or theme error, 66 a file that cannot be read, 69 no usable terminal, 143 or 129 ended by SIGTERM or SIGHUP.

            Examples: rmpviz ghcb-upm --variant discard
                      rmpviz ghcb-upm --variant keep --compare discard
                      rmpviz ghcb-upm --variant discard --compare kernel=mainline
            """)

    /// The scene `rmpviz` opens with no argument.
    static let defaultScene = "ghcb-upm"

    @Argument(help: "A scene file or built-in scene name.")
    var scene: String = View.defaultScene

    @Option(help: "The variant to show first (default: the first).")
    var variant: String?

    @OptionGroup var settings: SettingOptions

    @Option(help: ArgumentHelp("Open side by side with another run: a variant's name, or KEY=VALUE[,KEY=VALUE…] on top of this variant.",
                               valueName: "SIDE"))
    var compare: String?

    @Flag(help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    @Option(help: "Colour theme: dark (default), light, projector, or a theme file.")
    var theme: String?

    @Flag(help: "Reload the scene when its file changes, keeping the variant, step and action.")
    var watch = false

    func run() throws {
        try exiting { () throws(CLIFailure) in
            try View.open(scene, variant: variant, overrides: try settings.overrides(), compare: compare,
                          noColor: noColor, theme: theme, watch: watch)
        }
    }

    /// The viewer on a scene. `rmpviz` and `rmpviz SCENE` come straight here with the defaults,
    /// without the argument parser: building its argument sets (by reflection) is a millisecond of
    /// the time to the first frame.
    static func open(_ scene: String, variant: String? = nil, overrides: [Setting] = [], compare: String? = nil,
                     noColor: Bool = false, theme themeName: String? = nil, watch: Bool = false) throws(CLIFailure) {
        let timing = TimingLog()
        let theme = try ThemeLoader.load(themeName)
        timing.phase("theme")
        let (traces, first) = try loadAllTraces(scene, variant: variant, overrides: overrides)
        timing.phase("scene")
        let side = try compare.map { text throws(CLIFailure) in try compareSide(text, against: traces[first]).side }
        let noColor = noColor || environment("NO_COLOR").map { !$0.isEmpty } == true
        var watcher = FileWatcher(paths: watch ? SceneLoader.watchedPaths(scene) : [])
        let status = try TerminalLoop.run(
            color: !noColor, theme: theme,
            make: { w, h in
                var state = ViewerState(traces: traces, variant: first, width: w, height: h)
                if let side { state?.openComparison(side) }
                return state
            },
            tick: { state, _ in
                guard watch, watcher.changed() else { return false }
                do throws(CLIFailure) {
                    let (new, _) = try loadAllTraces(scene, variant: state.trace.variant?.name, overrides: overrides)
                    state.reload(traces: new)
                } catch {
                    state.showDiagnostics(error.message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
                }
                return true
            })
        if status != 0 { throw CLIFailure(status: status, message: "") }
    }
}

/// Every variant's run of one scene (the viewer switches between them), and the one to show first.
func loadAllTraces(_ reference: String, variant: String?, overrides: [Setting]) throws(CLIFailure) -> ([Trace], Int) {
    let first = try loadTrace(reference, variant: variant, overrides: overrides)
    let scene = first.scene
    guard !scene.variants.isEmpty else { return ([first], 0) }
    let index = first.variantIndex ?? 0
    let traces = scene.variants.indices.map { $0 == index ? first : Engine.run(scene, variant: $0) }
    return (traces, index)
}

/// Reads `--compare SIDE` and runs it against the left run: a mistyped side is bad usage (64), a
/// side the scene cannot run (an operation that needs UPM under `upm=off`) a scene error (65).
func compareSide(_ text: String, against left: Trace) throws(CLIFailure) -> (side: CompareSide, right: Trace) {
    let side: CompareSide
    switch CompareSide.parse(text, scene: left.scene) {
    case .success(let s): side = s
    case .failure(let p): throw CLIFailure(status: 64, message: "rmpviz: --compare " + p.message)
    }
    switch side.run(against: left) {
    case .success(let right): return (side, right)
    case .failure(let p): throw CLIFailure(status: p.isUsage ? 64 : 65, message: "rmpviz: --compare " + p.message)
    }
}
