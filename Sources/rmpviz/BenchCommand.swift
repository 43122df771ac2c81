import ArgumentParser
import BuiltinScenes
import Export
import Glibc
import MemoryModel
import SceneLanguage
import Screen
import StepEngine
import Viewer

/// `rmpviz bench`: the speed targets of the issues, measured in-process on a release build.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the speed targets (build with -c release first).",
        discussion: "Example: swift build -c release && .build/release/rmpviz bench")

    @Option(help: "Repetitions of the small measurements.")
    var repeats = 20

    func run() throws {
        var results = BenchResults()
        benchExplore(&results)
        benchCheckBuiltins(&results)
        benchParseLarge(&results)
        benchBigScene(&results)
        benchCompare(&results)
        benchViewer(&results)
        benchCompareView(&results)
        benchExports(&results)
        print(results.table)
    }

    func benchCheckBuiltins(_ r: inout BenchResults) {
        let times = (0..<repeats).map { _ in
            measure {
                for file in BuiltinScenes.all where !file.isDeck {
                    if case .success(let scene) = parseScene(bytes: file.bytes, path: file.fileName) {
                        for t in Engine.runAll(scene) { _ = t.passed }
                    }
                }
            }
        }
        r.add("check all built-in scenes (parse, run every variant, expectations)", median(times), limit: 0.050)
    }

    func benchParseLarge(_ r: inout BenchResults) {
        let text = BenchScenes.oneMiB()
        var ok = false
        let times = (0..<max(3, repeats / 4)).map { _ in
            measure {
                if case .success = parseScene(text, path: "bench-1MiB.scene") { ok = true }
            }
        }
        r.add("parse a \(text.utf8.count / 1024) KiB scene (\(ok ? "valid" : "INVALID"))", median(times), limit: 0.100)
    }

    func benchBigScene(_ r: inout BenchResults) {
        let text = BenchScenes.bigConvert()
        var trace: Trace?
        let runTime = measure {
            guard case .success(let scene) = parseScene(text, path: "bench-big.scene") else { return }
            let t = Engine.run(scene, variant: nil)
            _ = t.passed
            trace = t
        }
        guard let trace else {
            r.note("the 262,144-page scene did not parse")
            return
        }
        r.add("262,144 pages, vmm convert (\(trace.actionCount) actions): parse, run, check", runTime, limit: 2.0)
        r.note("ending \(trace.ending), \(trace.outcomes.count) outcomes")
        var rng = SplitMix(seed: 42)
        var cursor = TraceCursor(trace: trace, at: 0)
        var times: [Double] = []
        let moves = 2000
        for n in 0..<moves {
            let target: Int
            switch n % 4 {
            case 0: target = Int(rng.next() % UInt64(trace.actionCount))
            case 1: target = cursor.index + 1
            case 2: target = cursor.index - 1
            default: target = trace.stepStart[0] + Int(rng.next() % 4096)
            }
            times.append(measure { cursor.move(to: target) })
        }
        let sorted = times.sorted()
        r.add("move to an action (median of \(moves) random, ±1 and near moves)", median(times), limit: 0.001)
        r.add("move to an action (99th percentile)", sorted[sorted.count * 99 / 100], limit: 0.001)
        r.add("move to an action (worst)", sorted.last ?? 0, limit: 0.001)
        r.addMemory("peak memory (max RSS) after the big run", peakRSS(), limit: 512 << 20)
    }

    /// Every built-in scene's runs, then the 262,144-page scene's: what the viewer benches step through.
    func viewerScenes() -> [(String, [Trace])] {
        var scenes: [(String, [Trace])] = []
        for file in BuiltinScenes.all where !file.isDeck {
            if case .success(let s) = parseScene(bytes: file.bytes, path: file.fileName) { scenes.append((file.name, Engine.runAll(s))) }
        }
        if case .success(let big) = parseScene(BenchScenes.bigConvert(), path: "big.scene") {
            scenes.append(("262,144 pages", [Engine.run(big, variant: nil)]))
        }
        return scenes
    }

    /// The viewer's cost per key: reduce and render a 160×45 grid (the terminal's diff is measured
    /// separately, in a real pseudo-terminal, with ttydrive).
    func benchViewer(_ r: inout BenchResults) {
        let scenes = viewerScenes()
        let keys: [Key] = [.right, .right, .char("]"), .left, .char("v"), .tab, .down, .down, .char("G"), .char("g"), .pageDown, .up]
        var firstFrames: [Double] = []
        var keyTimes: [Double] = []
        var bigKeyTimes: [Double] = []
        for (name, traces) in scenes {
            var state: ViewerState?
            firstFrames.append(measure {
                state = ViewerState(traces: traces, width: 160, height: 45)
                _ = state?.render()
            })
            guard var s = state else { continue }
            for _ in 0..<max(1, repeats / 4) {
                for k in keys {
                    let t = measure {
                        s.handle(k)
                        _ = s.render()
                    }
                    if name.hasPrefix("262") { bigKeyTimes.append(t) } else { keyTimes.append(t) }
                }
            }
        }
        // The kernel key: every variant re-run under the next kernel, then the finished grid.
        var kernelTimes: [Double] = []
        for (name, traces) in scenes where !name.hasPrefix("262") {
            guard var s = ViewerState(traces: traces, width: 160, height: 45) else { continue }
            s.handle(.char("]"))
            for _ in 0..<max(3, repeats / 4) {
                kernelTimes.append(measure {
                    s.handle(.char("K"))
                    _ = s.render()
                })
            }
        }
        r.add("K: re-run under the next kernel, to the finished grid (built-in scenes, median)", median(kernelTimes), limit: 0.005)
        r.add("K: re-run under the next kernel, to the finished grid (built-in scenes, worst)", kernelTimes.max() ?? 0, limit: 0.005)
        r.add("viewer state and first 160×45 frame (built-in scenes, median)", median(firstFrames), limit: 0.010)
        r.add("a key to its finished 160×45 grid, built-in scenes (median)", median(keyTimes), limit: 0.001)
        r.add("a key to its finished 160×45 grid, built-in scenes (worst)", keyTimes.max() ?? 0, limit: 0.001)
        r.add("a key to its finished 160×45 grid, 262,144 pages (median)", median(bigKeyTimes), limit: 0.001)
        r.add("a key to its finished 160×45 grid, 262,144 pages (worst)", bigKeyTimes.max() ?? 0, limit: 0.001)
    }

    /// Every action of ghcb-upm in each export format (160x45, both variants for html), and a
    /// 1,000-action cast including the run; the issue's targets are 200 ms and 1 s.
    func benchExports(_ r: inout BenchResults) {
        guard let file = BuiltinScenes.named("ghcb-upm"), case .success(let scene) = parseScene(bytes: file.bytes, path: file.fileName) else {
            r.note("ghcb-upm did not parse")
            return
        }
        let theme = (try? ThemeLoader.load(nil)) ?? Theme(name: "plain", foreground: RGB(208, 208, 208), background: RGB(28, 28, 28))
        let traces = Engine.runAll(scene)
        let run = RunFrames(traces: traces, width: 160, height: 45)
        let n = traces[0].actionCount
        let rounds = max(3, repeats / 4)
        func time(_ body: () -> Int) -> Double {
            median((0..<rounds).map { _ in measure { _ = body() } })
        }
        r.add("export ghcb-upm txt (\(n) frames)", time { TextExport.document([run]).utf8.count }, limit: 0.200)
        r.add("export ghcb-upm ansi (\(n) frames)", time { ANSIExport.document([run], theme: theme).utf8.count }, limit: 0.200)
        r.add("export ghcb-upm svg (one file per action, \(n) files)", time {
            var bytes = 0
            run.forEach { bytes += SVGExport.document($0.grid, theme: theme, title: "ghcb-upm").utf8.count }
            return bytes
        }, limit: 0.200)
        let variants = traces.indices.map { RunFrames(traces: traces, variant: $0, width: 160, height: 45) }
        r.add("export ghcb-upm html (both variants, \(traces.map(\.actionCount).reduce(0, +)) frames)", time {
            HTMLExport.document(title: scene.title, scenes: [HTMLScene(title: scene.title, variants: variants)], theme: theme).utf8.count
        }, limit: 0.200)
        r.add("export ghcb-upm cast (\(n) frames)", time {
            CastExport.document([run], title: scene.title, interval: 1, theme: theme).utf8.count
        }, limit: 0.200)

        var actions = 0
        let big = measure {
            guard case .success(let s) = parseScene(BenchScenes.thousandActions(), path: "bench-cast.scene") else { return }
            let t = Engine.runAll(s)
            actions = t[0].actionCount
            _ = CastExport.document([RunFrames(traces: t, width: 160, height: 45)], title: s.title, interval: 1, theme: theme).utf8.count
        }
        r.add("parse, run and export a \(actions)-action cast", big, limit: 1.0)
    }
}

/// Scenes generated for the benchmark.
enum BenchScenes {
    /// 334 pages converted with discard on: 1,002 actions, one cast frame each.
    static func thousandActions() -> String {
        """
        title "A thousand actions"
        config upm on
        config discard-on-convert on
        pfns 0x1000..0x12ff
        page big gfn=0x0..0x14d shared
        step "The VMM converts everything"
          vmm convert big private
        expect no host-panic
        """
    }

    /// `page big gfn=0x0..0x3ffff shared`, one step `vmm convert big private`, discard on.
    static func bigConvert() -> String {
        """
        title "262,144 pages converted"
        config discard-on-convert on
        pfns 0x100000..0x140fff
        page big gfn=0x0..0x3ffff shared
        step "The VMM converts everything"
          vmm convert big private
        expect no host-panic
        expect no double-allocation
        """
    }

    /// A valid scene of about 1 MiB: many steps with operations and narration.
    static func oneMiB() -> String {
        var s = "title \"one mebibyte\"\npfns 0x100..0x4ff\npage p gfn=0x0..0x1ff shared\n"
        var i = 0
        while s.utf8.count < (1 << 20) - 400 {
            s += "step \"step \(i): the guest converts a page and the host looks at it\"\n"
            s += "  guest psc p[\(i % 512)] private\n  kvm exit p[\(i % 512)]\n  vmm convert p[\(i % 512)] private\n"
            s += "  say \"Narration for step \(i), long enough to look like a real scene's text: RMP, direct map, fds.\"\n"
            i += 1
        }
        return s + "expect no host-panic\n"
    }
}

/// Results of a benchmark run, printed as a table.
struct BenchResults {
    private var rows: [String] = []

    mutating func add(_ what: String, _ seconds: Double, limit: Double) {
        let ok = seconds < limit ? "ok  " : "SLOW"
        rows.append("\(ok) \(format(seconds)) (target < \(format(limit)))  \(what)")
    }

    mutating func addMemory(_ what: String, _ bytes: Int, limit: Int) {
        let ok = bytes < limit ? "ok  " : "BIG "
        rows.append("\(ok) \(bytes >> 20) MiB (target < \(limit >> 20) MiB)  \(what)")
    }

    mutating func note(_ text: String) { rows.append("     " + text) }

    var table: String { rows.joined(separator: "\n") }

    private func format(_ s: Double) -> String {
        if s < 0.001 { return fixed(s * 1e6, 1) + " µs" }
        if s < 1 { return fixed(s * 1e3, 2) + " ms" }
        return fixed(s, 2) + " s"
    }

    /// A number with `digits` decimals, rounded.
    private func fixed(_ x: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let n = Int((x * scale).rounded())
        let whole = n / Int(scale), frac = n % Int(scale)
        let f = String(frac)
        return "\(whole)." + String(repeating: "0", count: max(0, digits - f.count)) + f
    }
}

func measure(_ body: () -> Void) -> Double {
    let start = monotonicNow()
    body()
    return monotonicNow() - start
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s[s.count / 2]
}

/// Peak resident memory of this process, in bytes.
func peakRSS() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}

/// A small deterministic generator, so benchmark moves are the same every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
