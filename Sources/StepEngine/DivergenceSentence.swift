import MemoryModel

extension RunComparison {
    /// The one line that says where two runs first differ, as `run --compare` prints it and the
    /// viewer's comparison shows it: "first differs at step 4, action 2: vmm discard — left keeps
    /// 0x100 in the shared fd, right frees it"; "the runs never differ".
    static func sentence(_ left: Trace, _ right: Trace, _ divergence: Divergence?) -> String {
        guard let d = divergence else { return "the runs never differ" }
        let g = left.initial.geometry
        if d.initially {
            let account = DivergenceAccount(left: left.initial, right: right.initial, leftBefore: nil, rightBefore: nil,
                                            leftWrites: [], rightWrites: [])
            let slot = d.differences.first.flatMap { g.slot(ofGFN: $0.gfn) }
            let text = slot.map { "\(g.name(ofSlot: $0)): " + account.describe(slot: $0) } ?? "the worlds differ"
            return "first differs in the initial state — " + text
        }
        let la = left.actions(ofStep: d.step), ra = right.actions(ofStep: d.step)
        let at = "first differs at step \(d.step + 1), action \(d.action + 1): "
        if let onLeft = d.notReachedOnLeft {
            let title = onLeft ? right.title(of: d.rightIndex) : left.title(of: d.leftIndex)
            return at + title + " — step \(d.step + 1) is not reached on the \(onLeft ? "left" : "right")"
        }
        let lDid = d.action < la.count, rDid = d.action < ra.count
        var title: String
        switch (lDid, rDid) {
        case (true, false): title = left.title(of: d.leftIndex) + " (only on the left)"
        case (false, true): title = right.title(of: d.rightIndex) + " (only on the right)"
        default:
            title = left.title(of: d.leftIndex)
            let other = right.title(of: d.rightIndex)
            // One statement split differently on each side: its text once, then each side's part.
            if other != title, let line = left.line(of: d.leftIndex)?.text, line == right.line(of: d.rightIndex)?.text,
               title.hasPrefix(line + " — "), other.hasPrefix(line + " — ") {
                title = line + " — " + title.dropFirst(line.count + 3) + " on the left, " + other.dropFirst(line.count + 3) + " on the right"
            } else if other != title {
                title += " (right: \(other))"
            }
        }
        var parts: [String] = []
        if let first = d.differences.first, let slot = g.slot(ofGFN: first.gfn) {
            let account = DivergenceAccount(
                left: left.world(after: d.leftIndex), right: right.world(after: d.rightIndex),
                leftBefore: lDid ? left.world(after: d.leftIndex - 1) : left.world(after: d.leftIndex),
                rightBefore: rDid ? right.world(after: d.rightIndex - 1) : right.world(after: d.rightIndex),
                leftWrites: lDid ? Array(left.writes(of: d.leftIndex)) : [],
                rightWrites: rDid ? Array(right.writes(of: d.rightIndex)) : [])
            let own = (lDid ? left : right).records[lDid ? d.leftIndex : d.rightIndex].action.slot.map(Int.init)
            parts.append((own == slot ? "" : "\(g.name(ofSlot: slot)): ") + account.describe(slot: slot))
        }
        if d.outcomes.left != d.outcomes.right {
            func raised(_ o: [String]) -> String { o.isEmpty ? "raises nothing" : "raises " + o.joined(separator: " and ") }
            var text = "left \(raised(d.outcomes.left)), right \(raised(d.outcomes.right))"
            // A fatal outcome ends its run here: say which side the next step is lost on.
            func ends(_ t: Trace, _ i: Int, _ did: Bool) -> Bool { did && t.outcomes(of: i).contains { $0.outcome.severity == .fatal } }
            let next = d.step + 1
            if next < left.stepCount {
                switch (ends(left, d.leftIndex, lDid), ends(right, d.rightIndex, rDid)) {
                case (true, true): text += "; step \(next + 1) is not reached on either side"
                case (true, false): text += "; step \(next + 1) is not reached on the left"
                case (false, true): text += "; step \(next + 1) is not reached on the right"
                case (false, false): break
                }
            }
            parts.append(text)
        }
        return at + title + " — " + (parts.isEmpty ? "the worlds differ" : parts.joined(separator: "; "))
    }
}

/// The first difference of one gfn told in words, from the typed state of both sides after the
/// action and before it (nil before: the initial state).
struct DivergenceAccount {
    let left: World
    let right: World
    let leftBefore: World?
    let rightBefore: World?
    let leftWrites: [Write]
    let rightWrites: [Write]

    private func pfn(_ f: Int32) -> String { hex(left.geometry.pfn(f)) }

    /// The first part of the gfn's view that differs, in `GfnView.names` order.
    func describe(slot: Int) -> String {
        let p = left.pages[slot], q = right.pages[slot]
        let gfn = left.geometry.gfn(ofSlot: slot)
        for kind in [MemoryKind.shared, .private] {
            let a = p.frame(in: kind), b = q.frame(in: kind)
            let x = a >= 0 ? left.frames[Int(a)] : nil, y = b >= 0 ? right.frames[Int(b)] : nil
            if let x, let y, ViewCode.fd(x) != ViewCode.fd(y) { return frameState(a, x, b, y) }
            if (x == nil) != (y == nil) {
                // Each side backs the gfn from a different fd (with UPM and without): say where.
                let c = p.frame(in: kind.other), e = q.frame(in: kind.other)
                if (x != nil) != (c >= 0), (y != nil) != (e >= 0) { return moved(kind, slot: slot) }
                return backing(kind, slot: slot)
            }
        }
        if p.orphans != q.orphans { return orphans(gfn: gfn, p.orphans, q.orphans) }
        if p.attribute != q.attribute {
            return "left's KVM attribute is \(p.attribute.rawValue), right's is \(q.attribute.rawValue)"
        }
        if ViewCode.npt(p) != ViewCode.npt(q) {
            func entry(_ s: GuestPageState) -> String? {
                guard let e = s.npt else { return nil }
                let fd = e.frame == s.sharedFrame ? "the shared fd's " : e.frame == s.privateFrame ? "the private fd's " : "a stale frame, "
                return "\(e.kind.rawValue), to \(fd)\(pfn(e.frame))"
            }
            let l = entry(p).map { "left's NPT maps gfn \(hex(gfn)) \($0)" } ?? "left has no NPT entry for gfn \(hex(gfn))"
            return l + ", right " + (entry(q).map { "maps it \($0)" } ?? "has none")
        }
        if p.guestView != q.guestView {
            return "left's guest view is \(p.guestView.rawValue), right's is \(q.guestView.rawValue)"
        }
        func request(_ r: PendingRequest?) -> String {
            r.map { "a pending \($0.kind.rawValue) request" + ($0.willFail ? " that will fail" : "") } ?? "no pending request"
        }
        return "left has \(request(p.pending)), right has \(request(q.pending))"
    }

    /// Both sides have a frame in the fd: what differs in its RMP entry, direct map or pins.
    private func frameState(_ a: Int32, _ x: FrameState, _ b: Int32, _ y: FrameState) -> String {
        let other = a == b ? "" : " for \(pfn(b))"
        let it = a == b ? "it" : pfn(b)
        if x.assigned != y.assigned {
            return "left's RMP entry for \(pfn(a)) is \(x.assigned ? "private" : "shared"), right's\(other) is \(y.assigned ? "private" : "shared")"
        }
        if x.assigned, x.asid != y.asid {
            return "left's RMP entry for \(pfn(a)) has ASID \(x.asid), right's\(other) has ASID \(y.asid)"
        }
        if x.assigned, x.validated != y.validated {
            return "left's RMP entry for \(pfn(a)) is \(x.validated ? "validated" : "not validated"), right's\(other) is \(y.validated ? "" : "not ")validated"
        }
        if x.present != y.present {
            return "left's direct map entry for \(pfn(a)) is \(x.present ? "present" : "removed"), right's\(other) is \(y.present ? "present" : "removed")"
        }
        func pins(_ n: Int32) -> String { n == 1 ? "1 pin" : "\(n) pins" }
        switch (x.pins, y.pins) {
        case (0, _): return "left does not pin \(pfn(a)), right pins \(it)"
        case (_, 0): return "left pins \(pfn(a)), right does not pin \(it)"
        default: return "left holds \(pins(x.pins)) on \(pfn(a)), right holds \(pins(y.pins))\(a == b ? "" : " on \(pfn(b))")"
        }
    }

    /// What one side did with the fd's frame in the action.
    private enum Event {
        case has(Int32), keeps(Int32), allocates(Int32), replaces(Int32, Int32), frees(Int32), orphans(Int32), drops(Int32), none

        var frame: Int32? {
            switch self {
            case .has(let f), .keeps(let f), .allocates(let f), .frees(let f), .orphans(let f), .drops(let f): f
            case .replaces, .none: nil
            }
        }
    }

    private func event(_ kind: MemoryKind, slot: Int, _ after: World, _ before: World?) -> Event {
        let a = after.pages[slot].frame(in: kind)
        guard let before else { return a >= 0 ? .has(a) : .none }
        let b = before.pages[slot].frame(in: kind)
        if a >= 0 { return b == a ? .keeps(a) : b < 0 ? .allocates(a) : .replaces(b, a) }
        guard b >= 0 else { return .none }
        switch after.frames[Int(b)].owner {
        case .free: return .frees(b)
        case .orphan: return .orphans(b)
        default: return .drops(b)
        }
    }

    private func full(_ e: Event, _ fd: String, it: Int32? = nil) -> String {
        func ref(_ f: Int32) -> String { f == it ? "it" : pfn(f) }
        switch e {
        case .has(let f): return "has \(ref(f)) in \(fd)"
        case .keeps(let f): return "keeps \(ref(f)) in \(fd)"
        case .allocates(let f): return "allocates \(ref(f)) in \(fd)"
        case .replaces(let b, let a): return "replaces \(ref(b)) with \(pfn(a)) in \(fd)"
        case .frees(let f): return "frees \(ref(f)) from \(fd)"
        case .orphans(let f): return "orphans \(ref(f)) (out of \(fd), still pinned)"
        case .drops(let f): return "drops \(ref(f)) from \(fd)"
        case .none: return "has no frame in \(fd)"
        }
    }

    /// One side has a frame in the fd and the other none: what each did with it.
    private func backing(_ kind: MemoryKind, slot: Int) -> String {
        let fd = "the \(kind.rawValue) fd"
        let l = event(kind, slot: slot, left, leftBefore), r = event(kind, slot: slot, right, rightBefore)
        guard let it = l.frame else { return "left \(full(l, fd)), right \(full(r, fd))" }
        func ref(_ f: Int32) -> String { f == it ? "it" : pfn(f) }
        let second: String
        switch r {
        case .has(let f): second = "has \(ref(f))"
        case .keeps(let f): second = "keeps \(ref(f))"
        case .allocates(let f): second = "allocates \(ref(f))"
        case .replaces(let b, let a): second = "replaces \(ref(b)) with \(pfn(a))"
        case .frees(let f): second = "frees \(ref(f))"
        case .orphans(let f): second = "orphans \(ref(f)) (still pinned)"
        case .drops(let f): second = "drops \(ref(f))"
        case .none: second = "has none"
        }
        return "left \(full(l, fd)), right \(second)"
    }

    /// The left backs the gfn from one fd and the right from the other.
    private func moved(_ kind: MemoryKind, slot: Int) -> String {
        let lk = left.pages[slot].frame(in: kind) >= 0 ? kind : kind.other
        let l = event(lk, slot: slot, left, leftBefore), r = event(lk.other, slot: slot, right, rightBefore)
        return "left \(full(l, "the \(lk.rawValue) fd")), right \(full(r, "the \(lk.other.rawValue) fd", it: l.frame))"
    }

    /// The orphan counts differ: which frame each side orphaned or freed in the action.
    private func orphans(gfn: Int, _ n: Int32, _ m: Int32) -> String {
        enum Change { case orphans(Int32), freesOrphan(Int32), frees(Int32), count(Int32) }
        func change(_ writes: [Write], _ count: Int32) -> Change {
            var found: Change?
            for case .frame(let f, let b, let a) in writes {
                if a.owner == .orphan(gfn: gfn), b.owner != a.owner { return .orphans(f) }
                if b.owner == .orphan(gfn: gfn), a.owner == .free { found = .freesOrphan(f) }
                if found == nil, b.owner.gfn == gfn, a.owner == .free { found = .frees(f) }
            }
            return found ?? .count(count)
        }
        func text(_ c: Change, it: Int32?) -> String {
            func ref(_ f: Int32) -> String { f == it ? "it" : pfn(f) }
            switch c {
            case .orphans(let f): return "orphans \(ref(f)) (still pinned)"
            case .freesOrphan(let f): return "frees orphan \(ref(f))"
            case .frees(let f): return "frees \(ref(f))"
            case .count(0): return "has no orphan frame"
            case .count(let k): return "keeps \(k == 1 ? "1 orphan frame" : "\(k) orphan frames")"
            }
        }
        let l = change(leftWrites, n), r = change(rightWrites, m)
        var mentioned: Int32?
        switch l {
        case .orphans(let f), .freesOrphan(let f), .frees(let f): mentioned = f
        case .count: mentioned = nil
        }
        return "left \(text(l, it: nil)), right \(text(r, it: mentioned))"
    }
}
