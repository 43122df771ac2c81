import ArgumentParser
import Glibc
import SceneLanguage
import StepEngine
import Viewer

/// `rmpviz check`: parse and run every variant of every scene; exit 1 if an expectation fails.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse and run every variant of every scene and check its expectations.",
        discussion: """
            Prints one line per run: ok or FAIL, the file, the variant and the ending, then each failed
            expectation with its line. Diagnostics go to standard error.

            Example: rmpviz check ghcb-upm scenes/my.scene talk.deck
            """)

    @Argument(help: "Scene or deck files, or built-in scene names.")
    var scenes: [String]

    @Option(help: "Also render every frame of every run at COLSxROWS and list what does not fit (exit 1 if anything).")
    var fit: String?

    @OptionGroup var settings: SettingOptions

    func run() throws {
        try exiting { () throws(CLIFailure) in
            var failed = false
            var sceneError: CLIFailure?
            var unreadable: CLIFailure?
            let overrides = try settings.overrides()
            let fitSize = try fit.map { s throws(CLIFailure) in try parseSize(s, option: "--fit") }
            for reference in scenes {
                let loaded: [LoadedScene]
                do throws(CLIFailure) {
                    loaded = try SceneLoader.load(reference, overrides: overrides)
                } catch {
                    printError(error.message)
                    if error.status == 66 { unreadable = unreadable ?? error } else { sceneError = sceneError ?? error }
                    continue
                }
                for scene in loaded {
                    for line in CheckReport.lines(for: scene.scene, onlyVariant: scene.variant) {
                        print(line.text)
                        if !line.ok { failed = true }
                    }
                    if let (w, h) = fitSize {
                        for line in CheckReport.fit(scene.scene, onlyVariant: scene.variant, width: w, height: h) {
                            print(line)
                            failed = true
                        }
                    }
                }
            }
            if let e = unreadable { throw CLIFailure(status: e.status, message: "") }
            if let e = sceneError { throw CLIFailure(status: e.status, message: "") }
            if failed { throw CLIFailure(status: 1, message: "") }
        }
    }
}

/// The lines `rmpviz check` prints for one scene.
enum CheckReport {
    struct Line {
        let text: String
        let ok: Bool
    }

    /// One line per frame that does not fit: scene, variant, step, action, what.
    static func fit(_ scene: Scene, onlyVariant: String?, width: Int, height: Int) -> [String] {
        var traces = Engine.runAll(scene)
        if let v = onlyVariant { traces = traces.filter { $0.variant?.name == v } }
        var out: [String] = []
        for t in traces {
            guard var state = ViewerState(traces: [t], width: width, height: height) else { continue }
            for a in 0..<t.actionCount {
                state.jump(to: a)
                let problems = FitCheck.problems(state)
                guard !problems.isEmpty else { continue }
                let step = Int(t.records[a].step) + 1
                out.append("fit  \(Diagnostic.printable(scene.path)) \(t.variant?.name ?? "-") step \(step) action \(a + 1): "
                           + Diagnostic.printable(problems.joined(separator: "; ")))
            }
        }
        return out
    }

    static func lines(for scene: Scene, onlyVariant: String? = nil) -> [Line] {
        var traces = Engine.runAll(scene)
        if let v = onlyVariant { traces = traces.filter { $0.variant?.name == v } }
        // Quantified expectations hold over every interleaving of the lanes: explored per variant.
        let quantified = Exploration.checkQuantified(scene)
        var out: [Line] = []
        for t in traces {
            let variant = t.variant?.name ?? "-"
            let path = Diagnostic.printable(scene.path)
            let failedQuantified = quantified.filter { $0.variant?.name == t.variant?.name && !$0.passed }
            let passed = t.passed && failedQuantified.isEmpty
            out.append(Line(text: "\(passed ? "ok  " : "FAIL") \(path) \(variant) \(t.ending) (kernel \(t.config.kernel.rawValue))",
                            ok: passed))
            var failures = t.expectations.filter { !$0.passed }.map { ($0.expectation.location, $0.text, $0.detail) }
            failures += failedQuantified.map { ($0.expectation.location, $0.text, $0.detail) }
            failures.sort { ($0.0.line, $0.0.column) < ($1.0.line, $1.0.column) }
            for (at, text, detail) in failures {
                out.append(Line(text: "  \(path):\(at.line):\(at.column): \(Diagnostic.printable(text)): \(Diagnostic.printable(detail))", ok: false))
            }
        }
        return out
    }
}
