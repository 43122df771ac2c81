import MemoryModel

extension Trace {
    /// The action's page name ("buf[2]", a kernel object), if it works on a page.
    public func pageName(of i: Int) -> String? {
        let geometry = initial.geometry
        switch records[i].action {
        case .map(_, let r, _), .unmap(_, let r), .kernelAccess(_, let r, _): return mappingName(r, geometry)
        case .hostAlloc(let n): return n
        default: return records[i].action.slot.map { geometry.name(ofSlot: Int($0)) }
        }
    }

    public func gfn(of i: Int) -> Int? {
        records[i].action.slot.map { initial.geometry.gfn(ofSlot: Int($0)) }
    }

    /// The scene statement an action comes from, with the page and the sub-action when the
    /// statement splits into several: "vmm convert buf private — buf[1]: alloc private".
    public func title(of i: Int) -> String {
        guard let line = line(of: i) else { return "narration" }
        let action = records[i].action
        let count = line.operation.actionCount(geometry: initial.geometry, config: config)
        guard count > 1 else { return line.text }
        var s = line.text + " —"
        if let p = pageName(of: i), case .guest(_, let r) = line.operation.target ?? .kernel(name: ""), r.count > 1 {
            s += " \(p):"
        }
        return s + " " + action.phase
    }

    /// The frame the action is about: the one it changed first, else the page's backing.
    public func frame(of i: Int) -> Int? {
        for w in writes(of: i) {
            if case .frame(let f, _, _) = w { return initial.geometry.pfn(f) }
        }
        if let o = outcomes(of: i).first?.outcome.frame { return o }
        // A kernel access that changed nothing still reached a frame: the one its mapping captured.
        if case .kernelAccess(let holder, let ref, _) = records[i].action, i > 0,
           let m = world(after: i - 1).mappings[MappingKey(holder: holder, page: ref)], m.frame >= 0 {
            return initial.geometry.pfn(m.frame)
        }
        return nil
    }

    /// The action in words, written from what it changed, e.g.
    /// "RMP[0x101]: shared → private (ASID 1, gfn 0x10); direct map: 0x101 removed". With
    /// `maxParts`, an action over thousands of pages says its first changes and how many fields
    /// it changed in all (a screen shows a few lines of it).
    public func summary(of i: Int, maxParts: Int = .max) -> String {
        let changes = changes(of: i)
        guard !changes.isEmpty else { return noChangeSummary(of: i) }
        var parts: [String] = []
        var done = Set<Int>()
        for (n, c) in changes.enumerated() where !done.contains(n) {
            if parts.count >= maxParts {
                parts.append("… \(changes.count) fields changed in all")
                break
            }
            let r = hex(c.row)
            switch (c.table, c.field, c.after) {
            case (.rmp, .assigned, .bit(let assigned)):
                let related = changes.indices.filter { changes[$0].table == .rmp && changes[$0].row == c.row }
                done.formUnion(related)
                if assigned {
                    let asid = changes.first { $0.table == .rmp && $0.row == c.row && $0.field == .asid }?.after.description ?? "?"
                    let gfn = changes.first { $0.table == .rmp && $0.row == c.row && $0.field == .gfn }?.after.description ?? "?"
                    parts.append("RMP[\(r)]: shared → private (ASID \(asid), gfn \(gfn))")
                } else {
                    parts.append("RMP[\(r)]: private → shared")
                }
            case (.rmp, .validated, _): parts.append("RMP[\(r)]: Validated \(c.before) → \(c.after)")
            case (.rmp, _, _): parts.append("RMP[\(r)].\(c.field.rawValue): \(c.before) → \(c.after)")
            case (.directMap, .present, .present(let present)): parts.append("direct map: \(r) \(present ? "restored" : "removed")")
            case (.directMap, _, .mapping(nil)): parts.append("\(c.before) dropped")
            case (.directMap, _, _): parts.append("\(c.after) → \(c.row >= 0 ? r : "user address")")
            case (.frame, .owner, .owner(let owner)):
                switch (c.before, owner) {
                case (_, .free): parts.append("\(r) freed")
                case (_, .orphan): parts.append("\(r) orphaned (still pinned)")
                case (.owner(.free), _):
                    // An allocation into an fd is told by the fd's own change; other owners here.
                    let intoFile = changes.contains { ($0.table == .sharedFD || $0.table == .privateFD) && $0.after == .frame(c.row) }
                    if !intoFile { parts.append("\(r) allocated to \(fileWords(c.after.description))") }
                default: break
                }
            case (.frame, .pins, _): parts.append("\(r) pins \(c.before) → \(c.after)")
            case (.frame, _, _): break
            case (.sharedFD, .orphans, _): parts.append("orphans of gfn \(r): \(c.before) → \(c.after)")
            case (.sharedFD, _, _), (.privateFD, _, _):
                parts.append("\(fileWords(c.table.rawValue))[\(r)]: \(c.before) → \(c.after)")
            case (.kvm, .attribute, _): parts.append("attribute[\(r)]: \(c.before) → \(c.after)")
            case (.kvm, .npt, _): parts.append("NPT[\(r)]: \(c.before) → \(c.after)")
            case (.kvm, _, _): parts.append(requestWords(gfn: r, c))
            case (.guest, _, _): parts.append("guest view[\(r)]: \(c.before) → \(c.after)")
            }
        }
        return parts.joined(separator: "; ")
    }

    /// The shared fd as a run names it: without UPM it is the memslot's only backing.
    private func fileWords(_ s: String) -> String {
        config.upm ? s : s.replacing("shared fd", with: "memslot backing")
    }

    private func requestWords(gfn: String, _ c: Change) -> String {
        guard case .request(let before) = c.before, case .request(let after) = c.after else { return "PSC request for \(gfn)" }
        guard let b = before else { return "PSC request for \(gfn): \(c.after) pending" }
        guard let a = after else { return b.willFail ? "PSC request for \(gfn) failed" : "PSC request for \(gfn) completed" }
        if a.refused && !b.refused { return "PSC request for \(gfn) refused by the VMM: it will fail" }
        if a.willFail && !b.willFail { return "PSC request for \(gfn) will fail" }
        return "PSC request for \(gfn) forwarded to the VMM"
    }

    private func noChangeSummary(of i: Int) -> String {
        switch records[i].action {
        case .vmgexit(let n): return "VMGEXIT: KVM takes \(n) page state change request\(n == 1 ? "" : "s")"
        case .kernelAccess(let holder, let ref, let write):
            return kernelAccessWords(of: i, holder: holder, ref: ref, write: write)
                ?? (outcomes(of: i).isEmpty ? "no change" : "no state change")
        case .narrate: return "no operation in this step"
        case .resume: return "VMRUN: no pending request"
        default: return outcomes(of: i).isEmpty ? "no change" : "no state change"
        }
    }
}

extension Trace {
    /// A kernel access that changed nothing, named by the frame it reached and what that frame is
    /// now, and where the guest's page is: "kvm wrote 0x100 (shared fd, no longer mapped by the
    /// guest); the guest reads 0x101". Nil when the access reached no frame.
    func kernelAccessWords(of i: Int, holder: Holder, ref: PageRef, write: Bool) -> String? {
        // The action changed nothing: the world after it is the world it ran in.
        let w = world(after: i)
        let g = w.geometry
        var frame: Int32?
        if let m = w.mappings[MappingKey(holder: holder, page: ref)], m.frame >= 0 {
            frame = m.frame
        } else if case .guest(let s) = ref, w.pages[s].sharedFrame >= 0 {
            frame = w.pages[s].sharedFrame  // through the user address: the shared side, looked up now
        } else if case .kernel(let k) = ref, k < w.kernelObjects.count {
            frame = w.kernelObjects[k].frame
        }
        guard let f = frame else { return nil }
        let pfn = hex(g.pfn(f))
        let who = holder.rawValue
        if outcomes(of: i).contains(where: { $0.outcome.fault != nil || $0.outcome.kind == .efault }) {
            return "\(who)'s \(write ? "write to" : "read of") \(pfn) faulted: no state change"
        }
        let refGFN: Int? = if case .guest(let s) = ref { g.gfn(ofSlot: s) } else { nil }
        var words = "\(who) \(write ? "wrote" : "read") \(pfn) (\(frameWords(f, in: w, page: refGFN)))"
        if case .guest(let s) = ref { words += "; " + guestWords(slot: s, written: f, in: w) }
        return words
    }

    /// What a frame is now, for a kernel access to it: its file and whether the guest maps it.
    private func frameWords(_ f: Int32, in w: World, page gfn: Int?) -> String {
        let g = w.geometry
        let fd = { (kind: MemoryKind) in kind == .private ? "private fd" : (self.config.upm ? "shared fd" : "memslot backing") }
        func ofGFN(_ owner: Int) -> String { owner == gfn ? "" : " of gfn \(hex(owner))" }
        func mapped(_ owner: Int, _ side: MemoryKind) -> String {
            guard let s = g.slot(ofGFN: owner) else { return "" }
            let p = w.pages[s]
            if p.npt?.frame == f { return ", mapped by the guest" }
            return p.attribute == side ? ", not mapped by the guest" : ", no longer mapped by the guest"
        }
        switch w.frames[Int(f)].owner {
        case .sharedFD(let o): return fd(.shared) + ofGFN(o) + mapped(o, .shared)
        case .privateFD(let o): return fd(.private) + ofGFN(o) + mapped(o, .private)
        case .orphan(let o): return "orphan of gfn \(hex(o)), in no file"
        case .free: return "free"
        case .kernel(let k): return "kernel object " + (k < w.kernelObjects.count ? w.kernelObjects[k].name : "#\(k)")
        }
    }

    /// Where the guest's page is, against the frame the kernel reached.
    private func guestWords(slot s: Int, written f: Int32, in w: World) -> String {
        let g = w.geometry
        let p = w.pages[s]
        if let n = p.npt {
            return n.frame == f ? "the guest reads the same frame" : "the guest reads \(hex(g.pfn(n.frame)))"
        }
        let side = p.attribute
        let backing = p.frame(in: side)
        let file = side == .private ? "private fd" : (config.upm ? "shared fd" : "memslot backing")
        if backing < 0 {
            return "gfn \(hex(g.gfn(ofSlot: s))) is \(side.rawValue) and its \(file) has no page: the guest's next access gets a new one"
        }
        if backing == f { return "the guest's next access maps this frame" }
        return "the guest's next access maps \(hex(g.pfn(backing))) (\(file))"
    }
}
