import MemoryModel
import SceneLanguage

/// What one gfn looks like in a world, in terms that mean the same in two runs whose allocators
/// hand out different frames: which fds back it (not with which frame), and the RMP entry and
/// direct-map entry of each backing frame.
public struct GfnView: Hashable, Sendable {
    /// The fields, in the order `values` holds them.
    public static let names = ["shared fd", "private fd", "orphans", "attribute", "NPT", "guest view", "request"]
    public var values: [String]

    init(world w: World, slot s: Int) {
        let p = w.pages[s]
        func frame(_ f: Int32) -> String {
            guard f >= 0 else { return "hole" }
            let e = w.frames[Int(f)]
            let rmp = e.assigned ? "private (ASID \(e.asid), \(e.validated ? "validated" : "not validated"))" : "shared"
            return "a frame, RMP \(rmp), direct map \(e.present ? "present" : "removed"), pins \(e.pins)"
        }
        values = [
            frame(p.sharedFrame),
            frame(p.privateFrame),
            String(p.orphans),
            p.attribute.rawValue,
            p.npt.map { "\($0.kind.rawValue), to the \($0.frame == p.sharedFrame ? "shared" : $0.frame == p.privateFrame ? "private" : "other") fd's frame" } ?? "none",
            p.guestView.rawValue,
            p.pending.map { "\($0.kind.rawValue)\($0.willFail ? ", failing" : "")" } ?? "none",
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

/// Where two runs first differ: the aligned action after which the worlds (seen through
/// `GfnView`) or the outcomes raised differ, with what differs there.
public struct Divergence: Sendable {
    /// 0-based step, and action within the step (0 when the worlds differ from the start or one
    /// side never reached the step).
    public let step: Int
    public let action: Int
    /// The actions after which each side's world is compared (-1: the initial state). A side whose
    /// step is shorter stays at the step's last action.
    public let leftIndex: Int
    public let rightIndex: Int
    /// The rows that differ after the action, in gfn order.
    public let differences: [RowDifference]
    /// The outcome kinds each side's action raised.
    public let outcomes: (left: [String], right: [String])
    /// The worlds differ before any action.
    public let initially: Bool
    /// The step is not reached on the left (true) or on the right (false); nil when both reach it.
    public let notReachedOnLeft: Bool?
}

/// Two runs of one scene compared step by step, and within a step action by action, aligned by
/// gfn (memory-model.md's worlds, seen through `GfnView`).
public struct RunComparison: Sendable {
    public let left: Trace
    public let right: Trace
    /// The first aligned action after which the worlds or the outcomes raised differ; nil when
    /// the runs never differ.
    public let divergence: Divergence?
    /// Per step, the rows that differ at its end (a step one side did not reach is compared with
    /// that side's last world). Computed when asked for: the viewer needs only the divergence, and
    /// two large runs that differ early differ in hundreds of thousands of rows.
    public var stepDifferences: [[RowDifference]] {
        // Before the step of the first divergence every step ends alike: nothing to look at.
        let first = divergence?.step ?? left.stepCount
        return (0..<left.stepCount).map { s in
            guard s >= first else { return [] }
            let l = left.actions(ofStep: s), r = right.actions(ofStep: s)
            let le = l.isEmpty ? max(-1, l.lowerBound - 1) : l.upperBound - 1
            let re = r.isEmpty ? max(-1, r.lowerBound - 1) : r.upperBound - 1
            return RunComparison.differences(left.world(after: le), right.world(after: re))
        }
    }
    /// Where the runs first differ, in one line: "first differs at step 4, action 2: vmm discard —
    /// left keeps 0x100 in the shared fd, right frees it", or "the runs never differ".
    public let divergenceSentence: String

    public init(left: Trace, right: Trace) {
        self.left = left
        self.right = right
        let d = RunComparison.walk(left, right)
        divergence = d
        divergenceSentence = RunComparison.sentence(left, right, d)
    }

    /// The fields of one gfn whose text differs between two worlds, in `GfnView.names` order.
    static func rowDifferences(_ a: World, _ b: World, slot s: Int) -> [RowDifference] {
        if sameView(a, b, slot: s) { return [] }
        let x = GfnView(world: a, slot: s), y = GfnView(world: b, slot: s)
        let g = a.geometry
        return GfnView.names.indices.filter { x.values[$0] != y.values[$0] }.map { i in
            RowDifference(gfn: g.gfn(ofSlot: s), page: g.name(ofSlot: s), field: GfnView.names[i], left: x.values[i], right: y.values[i])
        }
    }

    /// `GfnView` equality without building its text: the view's parts as `ViewCode` integers,
    /// equal exactly when the text is. `rowDifferences` builds the views to say what differs.
    static func sameView(_ a: World, _ b: World, slot s: Int) -> Bool {
        let p = a.pages[s], q = b.pages[s]
        func fd(_ w: World, _ f: Int32) -> UInt64 { f >= 0 ? ViewCode.fd(w.frames[Int(f)]) : 0 }
        return ViewCode.page(p) == ViewCode.page(q)
            && fd(a, p.sharedFrame) == fd(b, q.sharedFrame) && fd(a, p.privateFrame) == fd(b, q.privateFrame)
    }

    /// The gfn-aligned differences between two worlds of the same layout.
    public static func differences(_ a: World, _ b: World) -> [RowDifference] {
        let g = a.geometry
        var out: [RowDifference] = []
        for rank in 0..<g.slotCount { out += rowDifferences(a, b, slot: g.slot(atGFNRank: rank)) }
        return out
    }
}
