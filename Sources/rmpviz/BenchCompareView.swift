import StepEngine
import Viewer

extension Bench {
    /// The comparison screen's cost per key (issue 11: at most 2 ms at the median, built-in scenes
    /// and a 262,144-page scene): reduce and render both sides' 160×45 grid, after opening it once.
    func benchCompareView(_ r: inout BenchResults) {
        let scenes = viewerScenes()
        let keys: [Key] = [.right, .right, .char("]"), .left, .tab, .down, .down, .char("G"), .char("g"), .pageDown, .up, .char("C")]
        var opens: [Double] = []
        var bigOpen = 0.0
        var keyTimes: [Double] = []
        var bigKeyTimes: [Double] = []
        for (name, traces) in scenes {
            let big = name.hasPrefix("262")
            guard var s = ViewerState(traces: traces, width: 160, height: 45) else { continue }
            let t = measure {
                s.handle(.char("c"))
                _ = s.render()
            }
            if big { bigOpen = t } else { opens.append(t) }
            guard s.compared != nil else {
                r.note("\(name): no comparison opened (\(s.message ?? "no message"))")
                continue
            }
            for _ in 0..<max(1, repeats / 4) {
                // C re-runs the right side: measured with the other keys for the built-ins, and
                // left out on the big scene, where it is an open (measured above), not a step.
                for k in keys where !(big && k == .char("C")) {
                    let t = measure {
                        s.handle(k)
                        _ = s.render()
                    }
                    if big { bigKeyTimes.append(t) } else { keyTimes.append(t) }
                }
            }
        }
        r.add("c: open a comparison, to its finished grid (built-in scenes, median)", median(opens), limit: 0.010)
        r.add("c: open a comparison of two 262,144-page runs, to its finished grid", bigOpen, limit: 2.0)
        r.add("a key to its finished comparison grid, built-in scenes (median)", median(keyTimes), limit: 0.002)
        r.add("a key to its finished comparison grid, built-in scenes (worst)", keyTimes.max() ?? 0, limit: 0.005)
        r.add("a key to its finished comparison grid, 262,144 pages (median)", median(bigKeyTimes), limit: 0.002)
        r.add("a key to its finished comparison grid, 262,144 pages (worst)", bigKeyTimes.max() ?? 0, limit: 0.010)
    }
}
