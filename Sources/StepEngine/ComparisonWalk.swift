import MemoryModel

/// The parts of `GfnView` packed into integers, so that two are compared without building text:
/// equal codes exactly when the text is equal.
enum ViewCode {
    /// What one fd shows: 0 for a hole; else its frame's pins, RMP entry (ASID and Validated only
    /// when assigned) and direct-map entry.
    static func fd(_ e: FrameState) -> UInt64 {
        var c = UInt64(UInt32(bitPattern: e.pins)) | 1 << 63
        if e.present { c |= 1 << 32 }
        if e.assigned { c |= 1 << 33 | (e.validated ? 1 << 34 : 0) | UInt64(e.asid) << 35 }
        return c
    }

    /// What the page state alone shows: orphans, attribute, guest view, NPT (kind and which fd's
    /// frame) and pending request (kind, whether it will fail).
    static func page(_ p: GuestPageState) -> UInt64 {
        var c = UInt64(UInt32(bitPattern: p.orphans))
        if p.attribute == .private { c |= 1 << 32 }
        if p.guestView == .private { c |= 1 << 33 }
        c |= npt(p) << 34
        if let r = p.pending { c |= ((r.kind == .private ? 1 : 2) + (r.willFail ? 2 : 0)) << 37 }
        return c
    }

    /// The NPT entry as the view shows it: none, or its kind and which fd's frame it maps.
    static func npt(_ p: GuestPageState) -> UInt64 {
        guard let e = p.npt else { return 0 }
        return (e.kind == .private ? 4 : 1) + (e.frame == p.sharedFrame ? 0 : e.frame == p.privateFrame ? 1 : 2)
    }
}

/// How one fd's part of a gfn's view changed in one action: not at all, from one code to another,
/// or in a way the action's writes alone cannot tell.
enum FdChange {
    case same
    case changed(before: UInt64, after: UInt64)
    case unknown

    /// Whether two sides whose parts were equal before the action are still equal after it; nil
    /// when the writes cannot tell.
    static func stillEqual(_ a: FdChange, _ b: FdChange) -> Bool? {
        switch (a, b) {
        case (.same, .same): true
        case (.changed(let x, let y), .same), (.same, .changed(let x, let y)): x == y
        case (.changed(_, let x), .changed(_, let y)): x == y
        default: nil
        }
    }
}

/// One action's writes merged per slot and per frame (the first `before`, the last `after`), kept
/// as the pointers, owners and view codes the comparison reads.
struct ActionWrites {
    struct PageWrite {
        let slot: Int32
        let before: (shared: Int32, private: Int32, code: UInt64)
        var after: (shared: Int32, private: Int32, code: UInt64)
    }
    struct FrameWrite {
        let frame: Int32
        let before: (owner: FrameOwner, code: UInt64)
        var after: (owner: FrameOwner, code: UInt64)
    }
    var pages: [PageWrite] = []
    var frames: [FrameWrite] = []
    /// Beyond this many writes an action is compared through the worlds instead (linear lookups).
    static let limit = 32

    /// Loads an action's writes; false when there are too many to merge by linear search.
    mutating func load(_ writes: ArraySlice<Write>) -> Bool {
        pages.removeAll(keepingCapacity: true)
        frames.removeAll(keepingCapacity: true)
        guard writes.count <= Self.limit else { return false }
        for w in writes {
            switch w {
            case .page(let s, let b, let a):
                let after = (a.sharedFrame, a.privateFrame, ViewCode.page(a))
                if let i = pages.firstIndex(where: { $0.slot == s }) {
                    pages[i].after = after
                } else {
                    pages.append(PageWrite(slot: s, before: (b.sharedFrame, b.privateFrame, ViewCode.page(b)), after: after))
                }
            case .frame(let f, let b, let a):
                let after = (a.owner, ViewCode.fd(a))
                if let i = frames.firstIndex(where: { $0.frame == f }) {
                    frames[i].after = after
                } else {
                    frames.append(FrameWrite(frame: f, before: (b.owner, ViewCode.fd(b)), after: after))
                }
            default: break
            }
        }
        return true
    }

    /// Appends the slots whose view the action may have changed: written pages, and the gfns that
    /// written frames back before or after.
    func touchedSlots(_ g: Geometry, into out: inout [Int32]) {
        for p in pages { out.append(p.slot) }
        for f in frames {
            if let gfn = f.before.owner.gfn, let s = g.slot(ofGFN: gfn) { out.append(Int32(s)) }
            if let gfn = f.after.owner.gfn, gfn != f.before.owner.gfn, let s = g.slot(ofGFN: gfn) { out.append(Int32(s)) }
        }
    }

    func pageIndex(_ slot: Int32) -> Int? {
        pages.firstIndex { $0.slot == slot }
    }

    /// How the fd part of `slot`'s view changed: through the page's pointer to its frame, or
    /// through a write to the frame it points to.
    func fdChange(_ kind: MemoryKind, page: Int?, gfn: Int) -> FdChange {
        if let page {
            let p = pages[page]
            let b = kind == .shared ? p.before.shared : p.before.private
            let a = kind == .shared ? p.after.shared : p.after.private
            if b == a {
                guard b >= 0, let f = frames.firstIndex(where: { $0.frame == b }) else { return .same }
                return .changed(before: frames[f].before.code, after: frames[f].after.code)
            }
            var x: UInt64 = 0, y: UInt64 = 0
            if b >= 0 {
                guard let f = frames.firstIndex(where: { $0.frame == b }) else { return .unknown }
                x = frames[f].before.code
            }
            if a >= 0 {
                guard let f = frames.firstIndex(where: { $0.frame == a }) else { return .unknown }
                y = frames[f].after.code
            }
            return .changed(before: x, after: y)
        }
        // The page kept its pointer, so a written frame of this fd and gfn is the one it points to.
        let owner: FrameOwner = kind == .shared ? .sharedFD(gfn: gfn) : .privateFD(gfn: gfn)
        guard let f = frames.firstIndex(where: { $0.before.owner == owner || $0.after.owner == owner }) else { return .same }
        guard frames[f].before.owner == owner, frames[f].after.owner == owner else { return .unknown }
        return .changed(before: frames[f].before.code, after: frames[f].after.code)
    }
}

extension RunComparison {
    /// Walks both runs forward together, action by action within each step. Before each aligned
    /// pair of actions every gfn looks the same on both sides, so only the gfns the pair touched
    /// can differ after it, and for each of them only the parts of its view that a write changed:
    /// the comparison reads the writes, not the worlds (a world is read only for an action with
    /// many writes, or a pointer to a frame the action did not write).
    static func walk(_ left: Trace, _ right: Trace) -> Divergence? {
        let initialSame = left.initial.stateKey == right.initial.stateKey
        if !initialSame {
            let start = differences(left.initial, right.initial)
            if !start.isEmpty {
                return Divergence(step: 0, action: 0, leftIndex: -1, rightIndex: -1, differences: start,
                                  outcomes: ([], []), initially: true, notReachedOnLeft: nil)
            }
        }
        let g = left.initial.geometry
        var lw = ActionWrites(), rw = ActionWrites()
        var touched: [Int32] = []
        var lc: TraceCursor?, rc: TraceCursor?
        for s in 0..<left.stepCount {
            let la = left.actions(ofStep: s), ra = right.actions(ofStep: s)
            if la.isEmpty != ra.isEmpty {
                let li = la.isEmpty ? left.actionCount - 1 : la.lowerBound
                let ri = ra.isEmpty ? right.actionCount - 1 : ra.lowerBound
                return Divergence(step: s, action: 0, leftIndex: li, rightIndex: ri, differences: [],
                                  outcomes: ([], []), initially: false, notReachedOnLeft: la.isEmpty)
            }
            for i in 0..<max(la.count, ra.count) {
                let li = la.lowerBound + min(i, la.count - 1), ri = ra.lowerBound + min(i, ra.count - 1)
                let lDid = i < la.count, rDid = i < ra.count
                let lo = lDid ? left.outcomes(of: li) : left.outcomes[0..<0]
                let ro = rDid ? right.outcomes(of: ri) : right.outcomes[0..<0]
                let sameOutcomes = lo.count == ro.count && zip(lo, ro).allSatisfy { $0.outcome.kind == $1.outcome.kind }
                let lSmall = lw.load(lDid ? left.writes(of: li) : left.writes[0..<0])
                let rSmall = rw.load(rDid ? right.writes(of: ri) : right.writes[0..<0])
                var differ = false
                if lSmall && rSmall {
                    touched.removeAll(keepingCapacity: true)
                    lw.touchedSlots(g, into: &touched)
                    rw.touchedSlots(g, into: &touched)
                    for slot in touched where !differ {
                        if let same = stillSame(lw, rw, slot: slot, g: g) {
                            differ = !same
                        } else {
                            differ = !sameView(world(&lc, left, li), world(&rc, right, ri), slot: Int(slot))
                        }
                    }
                } else {
                    touched = touchedSlots(left, lDid ? li : nil, right, rDid ? ri : nil, g)
                    let a = world(&lc, left, li), b = world(&rc, right, ri)
                    differ = touched.contains { !sameView(a, b, slot: Int($0)) }
                }
                guard differ || !sameOutcomes else { continue }
                let a = world(&lc, left, li), b = world(&rc, right, ri)
                var slots = Array(Set(touched))
                slots.sort { g.gfn(ofSlot: Int($0)) < g.gfn(ofSlot: Int($1)) }
                let diffs = slots.flatMap { rowDifferences(a, b, slot: Int($0)) }
                if diffs.isEmpty && sameOutcomes { continue }
                return Divergence(step: s, action: i, leftIndex: li, rightIndex: ri, differences: diffs,
                                  outcomes: (lo.map { $0.outcome.kind.rawValue }, ro.map { $0.outcome.kind.rawValue }),
                                  initially: false, notReachedOnLeft: nil)
            }
        }
        return nil
    }

    /// Whether `slot` still looks the same on both sides, from the writes alone; nil when they
    /// cannot tell.
    static func stillSame(_ l: ActionWrites, _ r: ActionWrites, slot: Int32, g: Geometry) -> Bool? {
        let lp = l.pageIndex(slot), rp = r.pageIndex(slot)
        switch (lp, rp) {
        case (nil, nil): break
        case (let i?, nil): if l.pages[i].before.code != l.pages[i].after.code { return false }
        case (nil, let j?): if r.pages[j].before.code != r.pages[j].after.code { return false }
        case (let i?, let j?): if l.pages[i].after.code != r.pages[j].after.code { return false }
        }
        // The fds' owners name the gfn; a page written on both sides needs no gfn.
        let gfn = lp != nil && rp != nil ? -1 : g.gfn(ofSlot: Int(slot))
        guard let shared = FdChange.stillEqual(l.fdChange(.shared, page: lp, gfn: gfn), r.fdChange(.shared, page: rp, gfn: gfn)) else { return nil }
        guard shared else { return false }
        return FdChange.stillEqual(l.fdChange(.private, page: lp, gfn: gfn), r.fdChange(.private, page: rp, gfn: gfn))
    }

    /// The world after action `index`, through a cursor kept for the next call (usually close by).
    static func world(_ cursor: inout TraceCursor?, _ trace: Trace, _ index: Int) -> World {
        if cursor == nil { cursor = TraceCursor(trace: trace, at: index) } else { cursor?.move(to: index) }
        return cursor?.world ?? trace.world(after: index)
    }

    /// The touched slots of an action pair with many writes, each once.
    static func touchedSlots(_ left: Trace, _ li: Int?, _ right: Trace, _ ri: Int?, _ g: Geometry) -> [Int32] {
        var out = Set<Int32>()
        for (t, i) in [(left, li), (right, ri)] {
            guard let i else { continue }
            for w in t.writes(of: i) {
                switch w {
                case .page(let s, _, _): out.insert(s)
                case .frame(_, let b, let a):
                    for gfn in [b.owner.gfn, a.owner.gfn] {
                        if let gfn, let s = g.slot(ofGFN: gfn) { out.insert(Int32(s)) }
                    }
                default: break
                }
            }
        }
        return Array(out)
    }
}
