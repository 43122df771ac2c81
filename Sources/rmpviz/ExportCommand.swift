import ArgumentParser
import Export
import Glibc
import SceneLanguage
import Screen
import StepEngine
import Viewer

/// `rmpviz export`: every frame of a run, from the same grid the terminal shows.
struct ExportFrames: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the frames of a run as text, ANSI, SVG, HTML or an asciicast.",
        discussion: """
            txt and ansi: the frame after every action, separated by form-feed lines. svg: one frame (the end of --step N, by default the last action); with -o DIR (a folder, a path ending in /, or a name without .svg; created if missing, inside an existing folder) and no --step, one file per action. html: one self-contained page with every frame of every variant, stepped with the viewer's keys. cast: asciicast v2, one frame every --interval seconds, a marker per step.
            Exit status: 0 ok, 64 bad usage, 65 a scene or theme error, 66 an unreadable input, 73 an output that cannot be written (nothing half-written is left behind).

            Examples: rmpviz export ghcb-upm --variant discard --format html -o ghcb.html
                      rmpviz export ghcb-upm --variant keep --compare discard --format svg -o frames/
            """)

    @Argument(help: "A scene file, a built-in scene name, or a deck.")
    var scene: String

    @Option(help: "The variant (default: the first; html holds them all and opens at this one).")
    var variant: String?

    @OptionGroup var settings: SettingOptions

    @Option(help: "Output format: txt, ansi, svg, html or cast.")
    var format: String = "txt"

    @Option(help: "Frame size, COLSxROWS (at least 80x23).")
    var size: String = "160x45"

    @Option(help: "Colour theme: dark (default), light, projector, or a theme file.")
    var theme: String?

    @Option(help: "Only the frame at the end of step N.")
    var step: Int?

    @Option(help: "Seconds between frames of a cast.")
    var interval: Double = 1

    @Option(name: .shortAndLong, help: "Output file, or a folder for one SVG per action (default: standard output).")
    var output: String?

    @Option(help: ArgumentHelp("Side-by-side frames with another run: a variant's name, or KEY=VALUE[,KEY=VALUE…] on top of the variant.",
                               valueName: "SIDE"))
    var compare: String?

    func run() throws {
        try exiting { () throws(CLIFailure) in
            guard let format = ExportFormat(rawValue: format.lowercased()) else {
                throw CLIFailure(status: 64, message: "rmpviz: --format \(format): expected one of txt, ansi, svg, html, cast")
            }
            let (w, h) = try parseSize(size)
            guard interval.isFinite, interval > 0, interval <= 3600 else {
                throw CLIFailure(status: 64, message: "rmpviz: --interval \(interval): expected seconds, more than 0 and at most 3600")
            }
            let theme = try ThemeLoader.load(self.theme)
            var input = try ExportInput.load(scene, variant: variant, overrides: settings.overrides())
            if input.isDeck, step != nil {
                throw CLIFailure(status: 64, message: "rmpviz: --step applies to a single scene, not a deck")
            }
            if let compare {
                guard !input.isDeck, let only = input.entries.first else {
                    throw CLIFailure(status: 64, message: "rmpviz: --compare applies to a single scene; a deck names its comparisons with compare=")
                }
                var e = only
                e.compare = try compareSide(compare, against: only.trace).side
                e.fixedVariant = true
                input.entries = [e]
            }
            let runs = try input.entries.map { e throws(CLIFailure) in
                RunFrames(traces: e.traces, variant: e.variant, width: w, height: h, actions: try selectedActions(e.trace), compare: e.compare)
            }
            switch format {
            case .txt: try emit(TextExport.document(runs))
            case .ansi: try emit(ANSIExport.document(runs, theme: theme))
            case .cast: try emit(CastExport.document(runs, title: input.title, interval: interval, theme: theme))
            case .html:
                let scenes = input.entries.map { e in
                    // A deck entry that names a variant shows that run; otherwise every variant.
                    e.fixedVariant
                        ? HTMLScene(title: e.title, variants: [RunFrames(traces: e.traces, variant: e.variant, width: w, height: h, compare: e.compare)])
                        : HTMLScene(title: e.title, variants: e.traces.indices.map { RunFrames(traces: e.traces, variant: $0, width: w, height: h) },
                                    start: e.variant)
                }
                try emit(HTMLExport.document(title: input.title, scenes: scenes, theme: theme, titleCards: input.isDeck))
            case .svg: try exportSVG(input, width: w, height: h, theme: theme)
            }
        }
    }

    /// The actions to export from a run: every one, or the last of `--step N`.
    func selectedActions(_ trace: Trace) throws(CLIFailure) -> [Int]? {
        guard let step else { return nil }
        guard step >= 1, step <= trace.stepCount, let last = RunFrames.lastAction(ofStep: step - 1, in: trace) else {
            throw CLIFailure(status: 64, message: "rmpviz: --step \(step): the run has steps 1–\(trace.stepsRun)")
        }
        return [last]
    }

    func emit(_ text: String) throws(CLIFailure) {
        if let output, output != "-" {
            try OutputFile.write(text, to: output)
        } else {
            writeAll(Array(text.utf8), to: 1)
        }
    }

    /// Whether `-o` names a folder for one SVG per action: an existing folder, a path ending in `/`, or
    /// a new name without `.svg` (`-o frames`); an existing file or a `.svg` name is one file.
    static func namesFolder(_ output: String) -> Bool {
        if OutputFile.isFolder(output) || output.hasSuffix("/") { return true }
        return output != "-" && !Path.exists(output) && !output.lowercased().hasSuffix(".svg")
    }

    /// One frame to a file or standard output; with `-o DIR`, one file per action (or the step's).
    /// A missing DIR is created inside an existing folder, and removed again if the export fails.
    func exportSVG(_ input: ExportInput, width w: Int, height h: Int, theme: Theme) throws(CLIFailure) {
        let toFolder = output.map(Self.namesFolder) ?? false
        guard toFolder || !input.isDeck else {
            throw CLIFailure(status: 64, message: "rmpviz: an SVG holds one frame: give a deck -o FOLDER for one file per action")
        }
        var created: OutputFolder?
        if let output, toFolder, !OutputFile.isFolder(output) { created = try OutputFolder.create(output) }
        var failure: CLIFailure?
        for (n, e) in input.entries.enumerated() where failure == nil {
            let selected: [Int]?
            do throws(CLIFailure) { selected = try selectedActions(e.trace) } catch {
                failure = error
                break
            }
            let actions = selected ?? (toFolder ? nil : [e.trace.actionCount - 1])
            let frames = RunFrames(traces: e.traces, variant: e.variant, width: w, height: h, actions: actions, compare: e.compare)
            frames.forEach { f in
                guard failure == nil else { return }
                let title = "\(e.title) · step \(f.step + 1): \(f.stepTitle) · action \(f.action + 1)/\(e.trace.actionCount)"
                let svg = SVGExport.document(f.grid, theme: theme, title: title)
                do throws(CLIFailure) {
                    if let output, toFolder {
                        let prefix = input.isDeck ? "scene-" + padded(n + 1, 2) + "-" : ""
                        let file = Path.join(output, "\(prefix)action-\(padded(f.action + 1, 4)).svg")
                        try OutputFile.write(svg, to: file)
                        created?.files.append(file)
                    } else {
                        try emit(svg)
                    }
                } catch {
                    failure = error
                }
            }
        }
        if let failure {
            created?.remove()
            throw failure
        }
    }
}

/// The export formats.
enum ExportFormat: String {
    case txt, ansi, svg, html, cast
}

/// What to export: one scene, or every entry of a deck, with the runs of their variants.
struct ExportInput {
    struct Entry {
        let title: String
        let traces: [Trace]
        let variant: Int
        /// True for a deck entry that names its variant (or a comparison, which shows one).
        var fixedVariant: Bool
        /// A comparison's right side (`--compare`, or a deck's `compare=`).
        var compare: CompareSide?
        var trace: Trace { traces[variant] }
    }

    let title: String
    let isDeck: Bool
    var entries: [Entry]

    static func load(_ reference: String, variant: String?, overrides: [Setting]) throws(CLIFailure) -> ExportInput {
        let (path, bytes) = try SceneLoader.read(reference)
        if SceneLoader.isDeck(path: path, bytes: bytes) {
            if variant != nil {
                throw CLIFailure(status: 64, message: "rmpviz: --variant applies to a scene; a deck names its entries' variants")
            }
            let loaded = try SceneLoader.loadDeck(path: path, bytes: bytes, overrides: overrides)
            let title = (try? parseDeck(bytes: bytes, path: path).get().title) ?? reference
            let entries = try loaded.map { s throws(CLIFailure) in try entry(s, variant: s.variant) }
            return ExportInput(title: title, isDeck: true, entries: entries)
        }
        let loaded = try SceneLoader.parse(path: path, bytes: bytes, overrides: overrides)
        let e = try entry(loaded, variant: variant)
        return ExportInput(title: e.title, isDeck: false, entries: [e])
    }

    static func entry(_ loaded: LoadedScene, variant: String?) throws(CLIFailure) -> Entry {
        let scene = loaded.scene
        var index = 0
        if let v = variant {
            guard let i = scene.variants.firstIndex(where: { $0.name == v }) else {
                let names = scene.variants.map(\.name)
                throw CLIFailure(status: 64, message: "rmpviz: \(scene.path) has no variant '\(v)'; " +
                    (names.isEmpty ? "it has no variants" : "its variants: \(names.joined(separator: ", "))"))
            }
            index = i
        }
        let traces = Engine.runAll(scene)
        let fixed = loaded.variant != nil
        let title = fixed ? "\(scene.title) (\(traces[index].variant?.name ?? "")\(loaded.compare.map { " ⇄ " + $0.label } ?? ""))" : scene.title
        return Entry(title: title, traces: traces, variant: index, fixedVariant: fixed || loaded.compare != nil, compare: loaded.compare)
    }
}

func padded(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}

/// `COLSxROWS`, at least 80×24.
func parseSize(_ text: String, option: String = "--size") throws(CLIFailure) -> (Int, Int) {
    let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
    guard parts.count == 2, let w = parts[0], let h = parts[1] else {
        throw CLIFailure(status: 64, message: "rmpviz: \(option) \(text): expected COLSxROWS, e.g. 160x45")
    }
    guard w >= ViewerLayout.minWidth, h >= ViewerLayout.minHeight, w <= 1000, h <= 500 else {
        throw CLIFailure(status: 64, message: "rmpviz: \(option) \(text): must be from \(ViewerLayout.minWidth)x\(ViewerLayout.minHeight) to 1000x500")
    }
    return (w, h)
}
