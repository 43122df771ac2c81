import ArgumentParser
import Glibc
import SceneLanguage
import StepEngine
import Viewer

/// `rmpviz check`: parse and run every variant of every scene; exit 1 if an expectation fails.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and run every variant of every scene and check its expectations.",
        discussion: """
            Prints one line per run: ok or FAIL, the file, the variant and the ending, then each failed expectation with its line. Diagnostics go to standard error.
            With --fit COLSxROWS, every frame of every run is also drawn at that size: a line for each step with a frame that does not fit (the first few), then a summary: the frames checked, how many have problems, and the worst.
            Exit status: 0 every run passes (and every frame fits), 1 an expectation failed or a frame does not fit, 64 bad usage, 65 a scene or deck error, 66 a file that cannot be read.

            Example: rmpviz check ghcb-upm scenes/my.scene talk.deck
            """)

    @Argument(help: "Scene or deck files, or built-in scene names.")
    var scenes: [String]

    @Option(help: "Also render every frame of every run at COLSxROWS and summarise what does not fit (exit 1 if anything).")
    var fit: String?

    @OptionGroup var settings: SettingOptions

    func run() throws {
        try exiting { () throws(CLIFailure) in
            var failed = false
            var sceneError: CLIFailure?
            var unreadable: CLIFailure?
            let overrides = try settings.overrides()
            let fitSize = try fit.map { s throws(CLIFailure) in try parseSize(s, option: "--fit") }
            var fitReport = FitReport()
            for reference in scenes {
                let loaded: [LoadedScene]
                do throws(CLIFailure) {
                    loaded = try SceneLoader.load(reference, overrides: overrides)
                } catch {
                    printFailure(error)
                    if error.status == 66 { unreadable = unreadable ?? error } else { sceneError = sceneError ?? error }
                    continue
                }
                for scene in loaded {
                    for line in CheckReport.lines(for: scene.scene, onlyVariant: scene.variant) {
                        print(line.text)
                        if !line.ok { failed = true }
                    }
                    if let (w, h) = fitSize {
                        for line in fitReport.check(scene.scene, onlyVariant: scene.variant, compare: scene.compare, width: w, height: h) {
                            print(line)
                        }
                    }
                }
            }
            if let (w, h) = fitSize {
                for line in fitReport.summary(width: w, height: h) { print(line) }
                if fitReport.badFrames > 0 { failed = true }
            }
            if let e = unreadable { throw CLIFailure(status: e.status, message: "") }
            if let e = sceneError { throw CLIFailure(status: e.status, message: "") }
            if failed { throw CLIFailure(status: 1, message: "") }
        }
    }
}

/// `check --fit`: every frame of every run drawn at one size. A frame that does not fit is reported
/// once per step (its first such frame, and how many more the step has), for the first few steps
/// only; the summary counts every frame and names the worst, the frame with the most problems.
struct FitReport {
    /// Step lines printed at most, over every scene of the command.
    static let shownSteps = 10

    private(set) var frames = 0
    private(set) var badFrames = 0
    private(set) var badSteps = 0
    private(set) var worst: (place: String, problems: Int)?

    /// Checks every frame of the scene's runs (and of its comparison, for a `compare=` deck entry);
    /// returns the lines to print now.
    mutating func check(_ scene: Scene, onlyVariant: String?, compare: CompareSide? = nil, width: Int, height: Int) -> [String] {
        var traces = Engine.runAll(scene)
        if let v = onlyVariant { traces = traces.filter { $0.variant?.name == v } }
        let path = Diagnostic.printable(scene.path)
        var out: [String] = []
        var runs: [(Trace, CompareSide?)] = traces.map { ($0, nil) }
        if let compare { runs += traces.map { ($0, compare) } }
        for (t, side) in runs {
            guard var state = ViewerState(traces: [t], width: width, height: height) else { continue }
            if let side { state.openComparison(side) }
            let variant = Diagnostic.printable((t.variant?.name ?? "-") + (side.map { " compared with " + $0.label } ?? ""))
            /// The step being read: its first bad frame's line, and how many more of its frames are bad.
            var pending: (step: Int, line: String, more: Int)?
            func close() {
                guard let p = pending else { return }
                badSteps += 1
                if badSteps <= Self.shownSteps {
                    out.append(p.line + (p.more == 0 ? "" : " (and \(p.more) more frame\(p.more == 1 ? "" : "s") of step \(p.step))"))
                }
                pending = nil
            }
            for a in 0..<t.actionCount {
                frames += 1
                state.jump(to: a)
                let problems = FitCheck.problems(state)
                guard !problems.isEmpty else { continue }
                badFrames += 1
                let step = Int(t.records[a].step) + 1
                let place = "\(path) \(variant) step \(step) action \(a + 1)"
                if problems.count > (worst?.problems ?? 0) { worst = (place, problems.count) }
                if let p = pending, p.step == step {
                    pending?.more += 1
                    continue
                }
                close()
                pending = (step, "fit  \(place): " + Diagnostic.printable(problems.joined(separator: "; ")), 0)
            }
            close()
        }
        return out
    }

    /// The closing lines: the steps not shown, then the counts and the worst frame.
    func summary(width: Int, height: Int) -> [String] {
        var out: [String] = []
        if badSteps > Self.shownSteps {
            let rest = badSteps - Self.shownSteps
            out.append("fit  … and \(rest) more step\(rest == 1 ? "" : "s") with frames that do not fit")
        }
        let checked = "fit: \(frames) frame\(frames == 1 ? "" : "s") checked at \(width)x\(height)"
        guard let worst, badFrames > 0 else {
            out.append(checked + ", none with problems")
            return out
        }
        out.append(checked + ", \(badFrames) with problems (in \(badSteps) step\(badSteps == 1 ? "" : "s")); worst: "
                   + "\(worst.place), \(worst.problems) problem\(worst.problems == 1 ? "" : "s")")
        return out
    }
}

/// The lines `rmpviz check` prints for one scene.
enum CheckReport {
    struct Line {
        let text: String
        let ok: Bool
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
