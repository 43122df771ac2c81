import BuiltinScenes
import MemoryModel
import SceneLanguage
import StepEngine

extension Bench {
    /// The explore targets: 3 lanes of 4 steps over a two-valued setting (< 1 s, < 100 MiB), 4 lanes
    /// of 4 steps (63,063,000 interleavings) through state merging (< 10 s), and every built-in lane
    /// scene over the kernels (< 1 s each). Run first, so the peak memory is explore's own.
    func benchExplore(_ r: inout BenchResults) {
        if case .success(let s) = parseScene(BenchScenes.lanes(3, steps: 4), path: "lanes-3x4.scene") {
            var e: Exploration?
            let t = measure { e = Exploration.run(s, variant: nil, over: [.discardOnConvert]) }
            let states = e?.rows.reduce(0) { $0 + $1.distinctStates } ?? 0
            r.add("explore 3 lanes × 4 steps (\(e?.interleavings ?? 0) interleavings) over discard-on-convert, \(states) distinct states", t, limit: 1.0)
            r.addMemory("peak memory (max RSS) after it", peakRSS(), limit: 100 << 20)
        }
        if case .success(let s) = parseScene(BenchScenes.lanes(4, steps: 4), path: "lanes-4x4.scene") {
            var e: Exploration?
            let t = measure { e = Exploration.run(s, variant: nil, over: []) }
            let row = e?.rows.first
            r.add("explore 4 lanes × 4 steps (\(row?.runs ?? 0) interleavings counted), \(row?.distinctStates ?? 0) distinct states", t, limit: 10.0)
        }
        for file in BuiltinScenes.all where !file.isDeck {
            guard case .success(let s) = parseScene(bytes: file.bytes, path: file.fileName), s.lanes.count > 1 else { continue }
            var e: Exploration?
            let t = measure { e = Exploration.run(s, variant: s.variants.isEmpty ? nil : 0, over: [.kernel]) }
            let states = e?.rows.reduce(0) { $0 + $1.distinctStates } ?? 0
            r.add("explore \(file.name) over kernel (\(e?.interleavings ?? 0) interleavings a row, \(states) states)", t, limit: 1.0)
        }
    }
}

extension BenchScenes {
    /// `lanes` lanes of `steps` steps: each lane converts its own pages while KVM maps and writes
    /// them, so lanes commute on most steps and collide on the allocator.
    static func lanes(_ lanes: Int, steps: Int) -> String {
        var lines = ["title \"\(lanes) lanes of \(steps) steps\"", "config kernel thread", "pfns 0x100..0x13f"]
        for l in 0..<lanes { lines.append("page p\(l) gfn=\(0x10 + l) shared") }
        let script = [["kvm map p#"], ["guest psc p# private", "kvm exit p#"], ["vmm convert p# private"],
                      ["kvm write p#"], ["kvm resume"], ["kvm unmap p#"]]
        for l in 0..<lanes {
            for s in 0..<steps {
                lines.append("step \"lane \(l) step \(s + 1)\" lane=l\(l)")
                for op in script[s % script.count] { lines.append("  " + op.split(separator: "#", omittingEmptySubsequences: false).joined(separator: "\(l)")) }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Bench {
    /// `run --compare` on two 786,432-action runs (262,144 pages, thread kernel, discard on) that
    /// never differ: the search walks both to the end. Target: the first divergence in under 1 s.
    func benchCompare(_ r: inout BenchResults) {
        let text = """
            title "262,144 pages, compared"
            config kernel thread
            config discard-on-convert on
            pfns 0x100000..0x140fff
            page big gfn=0x0..0x3ffff shared
            step "The VMM converts everything"
              vmm convert big private
            """
        guard case .success(let s) = parseScene(text, path: "big-compare.scene") else { return r.note("the compare scene did not parse") }
        let a = Engine.run(s, variant: nil), b = Engine.run(s, variant: nil)
        var c: RunComparison?
        let t = measure { c = RunComparison(left: a, right: b) }
        r.add("run --compare: two \(a.actionCount)-action runs walked to the end (\(c?.divergence == nil ? "no divergence" : "diverged"))", t, limit: 1.0)
    }
}
