import MemoryModel
import SceneLanguage

/// What one gfn looks like in a world, in terms that mean the same in two runs whose allocators
/// hand out different frames: which fds back it (not with which frame), and the RMP entry and
/// direct-map entry of each backing frame.
public struct GfnView: Hashable, Sendable {
    public var fields: [(name: String, value: String)]

    public static func == (a: GfnView, b: GfnView) -> Bool {
        a.fields.elementsEqual(b.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into h: inout Hasher) {
        for f in fields {
            h.combine(f.name)
            h.combine(f.value)
        }
    }

    init(world w: World, slot s: Int) {
        let p = w.pages[s]
        func frame(_ f: Int32) -> String {
            guard f >= 0 else { return "hole" }
            let e = w.frames[Int(f)]
            let rmp = e.assigned ? "private (ASID \(e.asid), \(e.validated ? "validated" : "not validated"))" : "shared"
            return "a frame, RMP \(rmp), direct map \(e.present ? "present" : "removed"), pins \(e.pins)"
        }
        fields = [
            ("shared fd", frame(p.sharedFrame)),
            ("private fd", frame(p.privateFrame)),
            ("orphans", String(p.orphans)),
            ("attribute", p.attribute.rawValue),
            ("NPT", p.npt.map { "\($0.kind.rawValue), to the \($0.frame == p.sharedFrame ? "shared" : $0.frame == p.privateFrame ? "private" : "other") fd's frame" } ?? "none"),
            ("guest view", p.guestView.rawValue),
            ("request", p.pending.map { "\($0.kind.rawValue)\($0.failed || $0.refused ? ", failing" : "")" } ?? "none"),
        ]
    }
}

/// One field of one gfn that differs between the two sides.
public struct RowDifference: Hashable, Sendable {
    public let gfn: Int
    public let page: String
    public let field: String
    public let left: String
    public let right: String
}

/// Two runs of one scene compared step by step, and within a step action by action, aligned by
/// gfn (memory-model.md's worlds, seen through `GfnView`).
public struct RunComparison: Sendable {
    public let left: Trace
    public let right: Trace
    /// The first aligned action after which the worlds or the outcomes raised differ (0-based step
    /// and action within the step), with what differs there; nil when the runs never differ.
    public let divergence: (step: Int, action: Int, differences: [RowDifference], outcomes: (left: [String], right: [String]))?
    /// Per step, the rows that differ at its end (a step one side did not reach is all-different).
    public let stepDifferences: [[RowDifference]]

    public init(left: Trace, right: Trace) {
        self.left = left
        self.right = right
        var found: (step: Int, action: Int, differences: [RowDifference], outcomes: (left: [String], right: [String]))?
        var perStep: [[RowDifference]] = []
        for s in 0..<left.stepCount {
            let l = left.actions(ofStep: s), r = right.actions(ofStep: s)
            if found == nil {
                for i in 0..<max(l.count, r.count) {
                    let li = l.isEmpty ? l.lowerBound - 1 : min(l.lowerBound + i, l.upperBound - 1)
                    let ri = r.isEmpty ? r.lowerBound - 1 : min(r.lowerBound + i, r.upperBound - 1)
                    let diffs = RunComparison.differences(left.world(after: li), right.world(after: ri))
                    let lo = i < l.count ? left.outcomes(of: l.lowerBound + i).map { $0.outcome.kind.rawValue } : []
                    let ro = i < r.count ? right.outcomes(of: r.lowerBound + i).map { $0.outcome.kind.rawValue } : []
                    if !diffs.isEmpty || lo != ro || l.isEmpty != r.isEmpty {
                        found = (s, i, diffs, (lo, ro))
                        break
                    }
                }
            }
            let le = l.isEmpty ? max(-1, l.lowerBound - 1) : l.upperBound - 1
            let re = r.isEmpty ? max(-1, r.lowerBound - 1) : r.upperBound - 1
            perStep.append(RunComparison.differences(left.world(after: le), right.world(after: re)))
        }
        divergence = found
        stepDifferences = perStep
    }

    /// The gfn-aligned differences between two worlds of the same layout.
    public static func differences(_ a: World, _ b: World) -> [RowDifference] {
        let g = a.geometry
        var out: [RowDifference] = []
        for rank in 0..<g.slotCount {
            let s = g.slot(atGFNRank: rank)
            let x = GfnView(world: a, slot: s), y = GfnView(world: b, slot: s)
            guard x != y else { continue }
            for (fx, fy) in zip(x.fields, y.fields) where fx.value != fy.value {
                out.append(RowDifference(gfn: g.gfn(ofSlot: s), page: g.name(ofSlot: s), field: fx.name, left: fx.value, right: fy.value))
            }
        }
        return out
    }
}
