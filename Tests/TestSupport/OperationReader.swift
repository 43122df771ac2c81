import MemoryModel

// Test-only: a tiny reader of operation lines ("kvm map ghcb via=kmap") into `Operation` values,
// independent of the scene parser, so model and engine tests do not rest on the code they check.

/// A page declaration in one line.
public func decl(_ name: String, _ gfn: Int, _ backing: InitialBacking, count: Int = 1) -> PageDeclaration {
    PageDeclaration(name: name, firstGFN: gfn, count: count, backing: backing)
}

/// "name" (every page of the declaration) or "name[i]"; unknown names are kernel objects.
public func pageTarget(_ word: String, _ layout: Layout) -> PageTarget {
    var name = word
    var index: Int?
    if let open = word.firstIndex(of: "["), word.hasSuffix("]") {
        name = String(word[..<open])
        index = Int(word[word.index(after: open)..<word.index(before: word.endIndex)])
    }
    guard let p = layout.pages.firstIndex(where: { $0.name == name }) else { return .kernel(name: name) }
    if let index { return .guest(page: p, indices: index...index) }
    return .guest(page: p, indices: 0...(layout.pages[p].count - 1))
}

public func operation(_ text: String, _ layout: Layout) -> Operation {
    let w = text.split(separator: " ").map(String.init)
    func kind(_ s: String) -> MemoryKind {
        guard let k = MemoryKind(rawValue: s) else { preconditionFailure("bad kind in '\(text)'") }
        return k
    }
    func target(_ i: Int) -> PageTarget { pageTarget(w[i], layout) }
    switch (w[0], w[1]) {
    case ("guest", "psc"): return .guestPSC(target(2), kind(w[3]))
    case ("guest", "pvalidate"): return .guestPValidate(target(2), on: w[3] == "on")
    case ("guest", "read"), ("guest", "write"):
        return .guestAccess(target(2), write: w[1] == "write", cbit: w.count > 3 ? kind(w[3]) : nil)
    case ("kvm", "map"), ("host", "map"):
        var via: Via?  // the holder's default, as the language leaves it
        if w.count > 3 {
            guard w[3].hasPrefix("via="), let v = Via(rawValue: String(w[3].dropFirst(4))) else {
                preconditionFailure("bad via in '\(text)'")
            }
            via = v
        }
        return .map(Holder(rawValue: w[0])!, target(2), via)
    case ("kvm", "unmap"), ("host", "unmap"): return .unmap(Holder(rawValue: w[0])!, target(2))
    case ("kvm", "read"), ("kvm", "write"), ("host", "read"), ("host", "write"):
        return .kernelAccess(Holder(rawValue: w[0])!, target(2), write: w[1] == "write")
    case ("kvm", "exit"): return .kvmExit(target(2))
    case ("kvm", "fault-in"): return .kvmFaultIn(target(2))
    case ("kvm", "rmpupdate"): return .kvmRMPUpdate(target(2), kind(w[3]))
    case ("kvm", "resume"): return .kvmResume
    case ("vmm", "set-attr"): return .vmmSetAttr(target(2), kind(w[3]))
    case ("vmm", "alloc"): return .vmmAlloc(target(2), kind(w[3]))
    case ("vmm", "discard"): return .vmmDiscard(target(2), kind(w[3]))
    case ("vmm", "convert"): return .vmmConvert(target(2), kind(w[3]))
    case ("vmm", "refuse"): return .vmmRefuse(target(2))
    case ("vmm", "read"), ("vmm", "write"): return .vmmAccess(target(2), write: w[1] == "write")
    case ("host", "alloc"): return .hostAlloc(w[2])
    default: preconditionFailure("unknown operation '\(text)'")
    }
}

