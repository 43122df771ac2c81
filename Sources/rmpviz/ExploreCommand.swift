import ArgumentParser
import CursesTerminal
import Export
import Glibc
import MemoryModel
import SceneLanguage
import StepEngine
import Viewer

/// `rmpviz explore`: every interleaving of a scene's lanes under every combination of settings.
struct Explore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Run every interleaving of a scene's lanes under every combination of settings; print the outcome matrix.",
        discussion: """
            Each cell says whether an outcome is raised in every interleaving (always), some (sometimes (k/n)) or none (never). --witness ROW:OUTCOME -o FILE writes the interleaving that raises it with the fewest steps run as a plain scene that 'rmpviz check' passes. Ctrl-C stops a long exploration and prints what was counted, marked partial.
            Exit status: 0 ok, 1 --witness found no interleaving that raises the outcome, 64 bad usage (a deck: use 'rmpviz present'), 65 a scene or theme error, 66 a file that cannot be read, 69 no usable terminal for the matrix, 73 -o cannot be written, 130, 143 or 129 stopped by Ctrl-C (without a terminal), SIGTERM or SIGHUP.

            Example: rmpviz explore ghcb-race --over kernel,discard-on-convert
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "A scene file or a built-in scene name.")
    var scene: String

    @Option(help: "The variant to explore (default: the first).")
    var variant: String?

    @Option(help: ArgumentHelp("Settings to explore over, comma-separated: each over all its values.", valueName: "KEY[,KEY…]"))
    var over: String?

    @Option(help: "Output format (default: the matrix in the terminal when standard output is one, else text).")
    var format: Format?

    @Option(help: "Colour theme for the terminal matrix: dark (default), light, projector, or a theme file.")
    var theme: String?

    @Flag(help: "No colours in the terminal matrix (also when NO_COLOR is set).")
    var noColor = false

    @Option(help: ArgumentHelp("Write the witness of one cell (row number from 1, an outcome) as a scene.", valueName: "ROW:OUTCOME"))
    var witness: String?

    @Option(name: .shortAndLong, help: "Where --witness writes its scene (default: standard output).")
    var output: String?

    @OptionGroup var settings: SettingOptions

    func run() throws {
        try exiting { () throws(CLIFailure) in
            let keys = try Explore.keys(over)
            let trace = try loadTrace(scene, variant: variant, overrides: settings.overrides(), command: "'rmpviz explore'")
            let target = try witness.map { w throws(CLIFailure) in try Explore.cell(w) }
            if format == nil, target == nil, isatty(1) != 0, isatty(0) != 0 {
                try interactive(trace.scene, variant: trace.variantIndex, keys: keys)
                return
            }
            QuitSignals.install()
            var lastReport = 0.0
            let exploration = Exploration.run(trace.scene, variant: trace.variantIndex, over: keys,
                                              shouldStop: { QuitSignals.pending() != nil },
                                              progress: { row, states in
                let now = monotonicNow()
                guard isatty(2) != 0, now - lastReport > 0.2 else { return }
                lastReport = now
                printProgress("exploring row \(row + 1): \(states) distinct states…")
            })
            if isatty(2) != 0, lastReport > 0 { printProgress("") }
            if let (row, outcome) = target {
                guard exploration.rows.indices.contains(row) else {
                    throw CLIFailure(status: 64, message: "rmpviz: --witness: there are \(exploration.rows.count) rows, counted from 1")
                }
                guard let text = exploration.witnessScene(row: row, outcome: outcome) else {
                    let r = exploration.rows[row]
                    let why = r.invalid.map { "row \(row + 1) is invalid: \($0)" } ?? "no interleaving of row \(row + 1) raises \(outcome.rawValue)"
                    throw CLIFailure(status: 1, message: "rmpviz: --witness: \(why)")
                }
                if let output { try OutputFile.write(text, to: output) } else { writeAll(Array(text.utf8), to: 1) }
                return
            }
            var out = OutputBuffer()
            switch format ?? .text {
            case .json: out.line(ExploreReport.json(exploration))
            case .text: for line in ExploreReport.text(exploration, path: trace.scene.path) { out.line(line) }
            }
            out.flush()
            if exploration.partial {
                // 128 + the signal, as the shell reports a process it ends: 130 for Ctrl-C.
                let signal = QuitSignals.pending() ?? SIGINT
                throw CLIFailure(status: 128 + signal, message: "rmpviz: explore: stopped by a signal; the counts are partial")
            }
        }
    }

    /// The matrix in the terminal: a progress line while exploring, then the table; Enter opens a
    /// cell's witness in the viewer.
    func interactive(_ scene: Scene, variant: Int?, keys: [SettingKey]) throws(CLIFailure) {
        let theme = try ThemeLoader.load(self.theme)
        let noColor = self.noColor || environment("NO_COLOR").map { !$0.isEmpty } == true
        let status = try TerminalLoop.run(color: !noColor, theme: theme, makeBusy: { w, h, busy in
            busy.show("exploring \(scene.title)…")
            var lastShown = 0.0
            let exploration = Exploration.run(scene, variant: variant, over: keys, shouldStop: { busy.stopRequested() },
                                              progress: { row, states in
                let now = monotonicNow()
                guard now - lastShown > 0.1 else { return }
                lastShown = now
                busy.show("exploring \(scene.title): row \(row + 1), \(states) distinct states…")
            })
            return ExploreState(exploration: exploration, path: scene.path, width: w, height: h)
        })
        if status != 0 { throw CLIFailure(status: status, message: "") }
    }

    static func keys(_ over: String?) throws(CLIFailure) -> [SettingKey] {
        guard let over else { return [] }
        var keys: [SettingKey] = []
        let names = SettingKey.allCases.map(\.rawValue)
        for word in over.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard let key = SettingKey(rawValue: word) else {
                throw CLIFailure(status: 64, message: "rmpviz: --over \(word): unknown setting" + Suggest.didYouMean(word, in: names)
                                 + "; settings: " + names.joined(separator: ", "))
            }
            if let problem = Exploration.problem(over: key) { throw CLIFailure(status: 64, message: "rmpviz: --over: \(problem)") }
            guard !keys.contains(key) else { throw CLIFailure(status: 64, message: "rmpviz: --over: '\(word)' is named twice") }
            keys.append(key)
        }
        return keys
    }

    static func cell(_ text: String) throws(CLIFailure) -> (row: Int, outcome: OutcomeKind) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let names = OutcomeKind.allCases.map(\.rawValue)
        guard parts.count == 2, let row = Int(parts[0]), row >= 1 else {
            throw CLIFailure(status: 64, message: "rmpviz: --witness \(text): expected ROW:OUTCOME, e.g. --witness 1:host-panic")
        }
        guard let kind = OutcomeKind(rawValue: parts[1]) else {
            throw CLIFailure(status: 64, message: "rmpviz: --witness \(text): unknown outcome '\(parts[1])'" + Suggest.didYouMean(parts[1], in: names))
        }
        return (row - 1, kind)
    }
}

/// A progress line on standard error, rewritten in place.
private func printProgress(_ text: String) {
    writeAll(Array(("\r\u{1B}[K" + text).utf8), to: 2)
}
