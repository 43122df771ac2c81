import MemoryModel

/// One row of a comparison's frame tables: the frame that backs (or backed) one gfn in one fd.
/// Two runs' allocators hand out different frames, so the frame tables of a comparison are
/// aligned by what a frame is for, not by its pfn.
public struct BackingRow: Hashable, Sendable {
    public let slot: Int32
    public let kind: MemoryKind

    public init(slot: Int32, kind: MemoryKind) {
        self.slot = slot
        self.kind = kind
    }

    var key: Int { Int(slot) * 2 + (kind == .shared ? 0 : 1) }
}

/// Where a backing row's frame stands at one action of one run.
public enum BackingFrame: Hashable, Sendable {
    /// The fd holds this frame for the gfn now.
    case current(Int32)
    /// The fd held this frame for the gfn earlier and no longer does (freed, orphaned, moved).
    case former(Int32)
    /// No frame has backed the gfn in this fd yet.
    case none

    public var frame: Int32? {
        switch self {
        case .current(let f), .former(let f): f
        case .none: nil
        }
    }
}

/// For one run: every frame each gfn's shared and private fd held, and from which action.
/// Built once per run (one pass over its page writes); a lookup is a binary search.
public struct BackingIndex: Sendable {
    /// Per `BackingRow.key`: (action, frame) each time the fd took a new frame for the gfn; the
    /// initial world's frames are at action -1.
    private let events: [Int: [(action: Int32, frame: Int32)]]

    public init(_ trace: Trace) {
        var events: [Int: [(action: Int32, frame: Int32)]] = [:]
        func note(_ slot: Int32, _ kind: MemoryKind, _ before: Int32?, _ after: Int32, _ action: Int) {
            guard after >= 0, after != before else { return }
            events[BackingRow(slot: slot, kind: kind).key, default: []].append((Int32(action), after))
        }
        let initial = trace.initial
        for s in 0..<initial.geometry.slotCount {
            let p = initial.pages[s]
            note(Int32(s), .shared, nil, p.sharedFrame, -1)
            note(Int32(s), .private, nil, p.privateFrame, -1)
        }
        for i in 0..<trace.actionCount {
            for case .page(let s, let b, let a) in trace.writes(of: i) {
                note(s, .shared, b.sharedFrame, a.sharedFrame, i)
                note(s, .private, b.privateFrame, a.privateFrame, i)
            }
        }
        self.events = events
    }

    /// The rows that ever have a frame in this run.
    var rows: [BackingRow] {
        events.keys.map { BackingRow(slot: Int32($0 / 2), kind: $0 % 2 == 0 ? .shared : .private) }
    }

    /// The row's frame after action `index` in `world` (the world after that action).
    public func frame(_ row: BackingRow, at index: Int, in world: World) -> BackingFrame {
        guard let list = events[row.key] else { return .none }
        // The last event at or before `index`.
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(list[mid].action) <= index { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return .none }
        let f = list[lo - 1].frame
        return world.pages[Int(row.slot)].frame(in: row.kind) == f ? .current(f) : .former(f)
    }
}

/// The frame tables' rows for two runs of one scene: every (gfn, fd) that either run ever backs
/// with a frame, in gfn order, shared before private. Rows do not come and go while stepping.
public struct AlignedBackingRows: Sendable {
    public let rows: [BackingRow]
    public let left: BackingIndex
    public let right: BackingIndex
    /// Row number per `BackingRow.key`.
    private let position: [Int: Int]

    public init(left: Trace, right: Trace) {
        self.left = BackingIndex(left)
        self.right = BackingIndex(right)
        let g = left.initial.geometry
        let all = Set(self.left.rows).union(self.right.rows)
        rows = all.sorted {
            let a = g.rank(ofSlot: Int($0.slot)), b = g.rank(ofSlot: Int($1.slot))
            return a != b ? a < b : ($0.kind == .shared && $1.kind == .private)
        }
        position = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1.key, $0) })
    }

    /// The row that shows `frame` on one side at an action, if any: for following the action's
    /// frame and for find, once a key (the screen's marks look up only the rows it shows).
    public func row(showing frame: Int32, left isLeft: Bool, at index: Int, in world: World) -> Int? {
        let index_ = isLeft ? left : right
        // A frame that currently backs a gfn is found from its owner; a former one by a scan of
        // the rows, on scenes small enough for a scan to cost nothing next to a key.
        let owner = world.frames[Int(frame)].owner
        let g = world.geometry
        var candidates: [BackingRow] = []
        switch owner {
        case .sharedFD(let gfn), .orphan(let gfn):
            if let s = g.slot(ofGFN: gfn) { candidates = [BackingRow(slot: Int32(s), kind: .shared)] }
        case .privateFD(let gfn):
            if let s = g.slot(ofGFN: gfn) { candidates = [BackingRow(slot: Int32(s), kind: .private)] }
        case .free, .kernel:
            break
        }
        for c in candidates where index_.frame(c, at: index, in: world).frame == frame {
            return position[c.key]
        }
        if rows.count <= 4096 {
            return rows.firstIndex { index_.frame($0, at: index, in: world).frame == frame }
        }
        return nil
    }
}
