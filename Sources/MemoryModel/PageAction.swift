/// One page-level action: the unit the engine runs and the viewer steps through.
public enum PageAction: Sendable, Hashable {
    /// PVALIDATE off before a PSC to shared.
    case pscUnvalidate(slot: Int32)
    case pscRecord(slot: Int32, MemoryKind)
    /// The VMGEXIT after the last page of a PSC.
    case vmgexit(pages: Int32)
    case pvalidate(slot: Int32, on: Bool)
    case guestAccess(slot: Int32, write: Bool, cbit: MemoryKind?)
    case map(Holder, PageRef, Via)
    case unmap(Holder, PageRef)
    case kernelAccess(Holder, PageRef, write: Bool)
    case kvmExit(slot: Int32)
    case faultIn(slot: Int32)
    case rmpupdate(slot: Int32, MemoryKind)
    case resume
    case setAttr(slot: Int32, MemoryKind)
    case alloc(slot: Int32, MemoryKind)
    case discard(slot: Int32, MemoryKind)
    case refuse(slot: Int32)
    case vmmAccess(slot: Int32, write: Bool)
    case hostAlloc(String)
    /// A step with no operation still gets one action, so every step can be shown.
    case narrate

    /// The guest page the action works on, if any.
    public var slot: Int32? {
        switch self {
        case .pscUnvalidate(let s), .pscRecord(let s, _), .pvalidate(let s, _), .guestAccess(let s, _, _),
             .kvmExit(let s), .faultIn(let s), .rmpupdate(let s, _), .setAttr(let s, _), .alloc(let s, _),
             .discard(let s, _), .refuse(let s), .vmmAccess(let s, _):
            s
        case .map(_, let r, _), .unmap(_, let r), .kernelAccess(_, let r, _):
            if case .guest(let s) = r { Int32(s) } else { nil }
        case .vmgexit, .resume, .hostAlloc, .narrate: nil
        }
    }

    /// A short name of the sub-action, shown after the operation ("vmm convert ghcb private: alloc").
    public var phase: String {
        switch self {
        case .pscUnvalidate: "PVALIDATE off"
        case .pscRecord(_, let k): "request \(k.rawValue)"
        case .vmgexit: "VMGEXIT"
        case .pvalidate(_, let on): on ? "PVALIDATE on" : "PVALIDATE off"
        case .guestAccess(_, let w, _), .kernelAccess(_, _, let w), .vmmAccess(_, let w): w ? "write" : "read"
        case .map: "map"
        case .unmap: "unmap"
        case .kvmExit: "exit"
        case .faultIn: "fault-in"
        case .rmpupdate(_, let k): "RMPUPDATE \(k.rawValue)"
        case .resume: "VMRUN"
        case .setAttr(_, let k): "set-attr \(k.rawValue)"
        case .alloc(_, let k): "alloc \(k.rawValue)"
        case .discard(_, let k): "discard \(k.rawValue)"
        case .refuse: "refuse"
        case .hostAlloc: "alloc"
        case .narrate: "narration"
        }
    }
}

extension Operation {
    /// Splits the operation into its page-level actions, in order, calling `body` for each; stops when
    /// `body` returns false. Lazy, so a 262,144-page operation never builds a list.
    public func forEachAction(geometry: Geometry, config: Config, kernelIndex: (String) -> Int?,
                              _ body: (PageAction) -> Bool) {
        func eachSlot(_ t: PageTarget, _ f: (Int32) -> Bool) -> Bool {
            guard case .guest(let p, let r) = t, p < geometry.slotStart.count else { return true }
            let start = geometry.slotStart[p]
            for i in r where !f(Int32(start + i)) { return false }
            return true
        }
        func eachRef(_ t: PageTarget, _ f: (PageRef) -> Bool) {
            switch t {
            case .guest: _ = eachSlot(t) { f(.guest(slot: Int($0))) }
            case .kernel(let name): if let k = kernelIndex(name) { _ = f(.kernel(k)) }
            }
        }
        switch self {
        case .guestPSC(let t, let kind):
            var n: Int32 = 0
            let goOn = eachSlot(t) { s in
                n += 1
                if kind == .shared, !body(.pscUnvalidate(slot: s)) { return false }
                return body(.pscRecord(slot: s, kind))
            }
            if goOn { _ = body(.vmgexit(pages: n)) }
        case .guestPValidate(let t, let on): _ = eachSlot(t) { body(.pvalidate(slot: $0, on: on)) }
        case .guestAccess(let t, let w, let c): _ = eachSlot(t) { body(.guestAccess(slot: $0, write: w, cbit: c)) }
        case .map(let h, let t, let via):
            let resolved = via ?? (h == .kvm ? config.kvmMap : .kmap)
            eachRef(t) { body(.map(h, $0, resolved)) }
        case .unmap(let h, let t): eachRef(t) { body(.unmap(h, $0)) }
        case .kernelAccess(let h, let t, let w): eachRef(t) { body(.kernelAccess(h, $0, write: w)) }
        case .kvmExit(let t): _ = eachSlot(t) { body(.kvmExit(slot: $0)) }
        case .kvmFaultIn(let t): _ = eachSlot(t) { body(.faultIn(slot: $0)) }
        case .kvmRMPUpdate(let t, let k): _ = eachSlot(t) { body(.rmpupdate(slot: $0, k)) }
        case .kvmResume: _ = body(.resume)
        case .vmmSetAttr(let t, let k): _ = eachSlot(t) { body(.setAttr(slot: $0, k)) }
        case .vmmAlloc(let t, let k): _ = eachSlot(t) { body(.alloc(slot: $0, k)) }
        case .vmmDiscard(let t, let k): _ = eachSlot(t) { body(.discard(slot: $0, k)) }
        case .vmmConvert(let t, let k):
            _ = eachSlot(t) { s in
                guard body(.setAttr(slot: s, k)) else { return false }
                if !config.gmemLazy, !body(.alloc(slot: s, k)) { return false }
                return config.discardOnConvert ? body(.discard(slot: s, k.other)) : true
            }
        case .vmmRefuse(let t): _ = eachSlot(t) { body(.refuse(slot: $0)) }
        case .vmmAccess(let t, let w): _ = eachSlot(t) { body(.vmmAccess(slot: $0, write: w)) }
        case .hostAlloc(let name): _ = body(.hostAlloc(name))
        }
    }

    /// How many actions the operation splits into, computed from its shape in O(1): the viewer asks
    /// on every frame, and walking a 262,144-page operation each time would cost milliseconds.
    public func actionCount(geometry: Geometry, config: Config) -> Int {
        var pages = 1
        if case .guest(let p, let r)? = target { pages = p < geometry.slotStart.count ? r.count : 0 }
        switch self {
        case .guestPSC(_, let kind): return pages * (kind == .shared ? 2 : 1) + 1
        case .vmmConvert: return pages * (1 + (config.gmemLazy ? 0 : 1) + (config.discardOnConvert ? 1 : 0))
        case .kvmResume, .hostAlloc: return 1
        default: return pages
        }
    }
}
