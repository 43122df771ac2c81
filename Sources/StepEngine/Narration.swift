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
    /// "RMP[0x101]: shared → private (ASID 1, gfn 0x10); direct map: 0x101 removed".
    public func summary(of i: Int) -> String {
        let changes = changes(of: i)
        guard !changes.isEmpty else { return noChangeSummary(of: i) }
        var parts: [String] = []
        var done = Set<Int>()
        for (n, c) in changes.enumerated() where !done.contains(n) {
            let r = hex(c.row)
            switch (c.table, c.field) {
            case (.rmp, "assigned"):
                let related = changes.indices.filter { changes[$0].table == .rmp && changes[$0].row == c.row }
                done.formUnion(related)
                if c.after == "1" {
                    let asid = changes.first { $0.table == .rmp && $0.row == c.row && $0.field == "asid" }?.after ?? "?"
                    let gfn = changes.first { $0.table == .rmp && $0.row == c.row && $0.field == "gfn" }?.after ?? "?"
                    parts.append("RMP[\(r)]: shared → private (ASID \(asid), gfn \(gfn))")
                } else {
                    parts.append("RMP[\(r)]: private → shared")
                }
            case (.rmp, "validated"): parts.append("RMP[\(r)]: Validated \(c.before) → \(c.after)")
            case (.rmp, _): parts.append("RMP[\(r)].\(c.field): \(c.before) → \(c.after)")
            case (.directMap, "present"): parts.append("direct map: \(r) \(c.after == "present" ? "restored" : "removed")")
            case (.directMap, _):
                parts.append(c.after == "none" ? "\(c.before) dropped" : "\(c.after) → \(c.row >= 0 ? r : "user address")")
            case (.frame, "owner"):
                if c.after == "free" { parts.append("\(r) freed") }
                else if c.after.hasPrefix("orphan") { parts.append("\(r) orphaned (still pinned)") }
                else if c.before == "free" && !changes.contains(where: { ($0.table == .sharedFD || $0.table == .privateFD) && $0.after == r }) {
                    parts.append("\(r) allocated to \(c.after)")
                }
            case (.frame, "pins"): parts.append("\(r) pins \(c.before) → \(c.after)")
            case (.frame, _): break
            case (.sharedFD, "orphans"): parts.append("orphans of gfn \(r): \(c.before) → \(c.after)")
            case (.sharedFD, _), (.privateFD, _):
                parts.append("\(c.table.rawValue)[\(r)]: \(c.before) → \(c.after)")
            case (.kvm, "attribute"): parts.append("attribute[\(r)]: \(c.before) → \(c.after)")
            case (.kvm, "npt"): parts.append("NPT[\(r)]: \(c.before) → \(c.after)")
            case (.kvm, _): parts.append(requestWords(gfn: r, c))
            case (.guest, _): parts.append("guest view[\(r)]: \(c.before) → \(c.after)")
            }
        }
        return parts.joined(separator: "; ")
    }

    private func requestWords(gfn: String, _ c: Change) -> String {
        if c.before == "none" { return "PSC request for \(gfn): \(c.after) pending" }
        let failing = { (s: String) in s.contains("failed") || s.contains("refused") }
        if c.after == "none" { return failing(c.before) ? "PSC request for \(gfn) failed" : "PSC request for \(gfn) completed" }
        if c.after.contains("refused") && !c.before.contains("refused") { return "PSC request for \(gfn) refused by the VMM: it will fail" }
        if failing(c.after) && !failing(c.before) { return "PSC request for \(gfn) will fail" }
        return "PSC request for \(gfn) forwarded to the VMM"
    }

    private func noChangeSummary(of i: Int) -> String {
        switch records[i].action {
        case .vmgexit(let n): return "VMGEXIT: KVM takes \(n) page state change request\(n == 1 ? "" : "s")"
        case .narrate: return "no operation in this step"
        case .resume: return "VMRUN: no pending request"
        default: return outcomes(of: i).isEmpty ? "no change" : "no state change"
        }
    }
}
