/// A page argument resolved against a layout: some pages of one declaration, or a kernel object.
public enum PageTarget: Sendable, Hashable {
    /// `page` indexes `Layout.pages`; `indices` are positions inside that declaration's range.
    case guest(page: Int, indices: ClosedRange<Int>)
    /// A frame that `host alloc NAME` gave to other kernel code.
    case kernel(name: String)
}

/// One operation of a scene, before it is split into page-level actions.
public enum Operation: Sendable, Hashable {
    case guestPSC(PageTarget, MemoryKind)
    case guestPValidate(PageTarget, on: Bool)
    /// `cbit` nil: the guest uses its own view of the page.
    case guestAccess(PageTarget, write: Bool, cbit: MemoryKind?)
    /// `via` nil: the holder's default (`kvm-map` for KVM, `kmap` for other host code).
    case map(Holder, PageTarget, Via?)
    case unmap(Holder, PageTarget)
    case kernelAccess(Holder, PageTarget, write: Bool)
    case kvmExit(PageTarget)
    case kvmFaultIn(PageTarget)
    case kvmRMPUpdate(PageTarget, MemoryKind)
    case kvmResume
    case vmmSetAttr(PageTarget, MemoryKind)
    case vmmAlloc(PageTarget, MemoryKind)
    case vmmDiscard(PageTarget, MemoryKind)
    case vmmConvert(PageTarget, MemoryKind)
    /// The VMM answers KVM's forwarded request with an error.
    case vmmRefuse(PageTarget)
    case vmmAccess(PageTarget, write: Bool)
    case hostAlloc(String)

    public var actor: Actor {
        switch self {
        case .guestPSC, .guestPValidate, .guestAccess: .guest
        case .map(let h, _, _), .unmap(let h, _), .kernelAccess(let h, _, _): h == .kvm ? .kvm : .host
        case .kvmExit, .kvmFaultIn, .kvmRMPUpdate, .kvmResume: .kvm
        case .vmmSetAttr, .vmmAlloc, .vmmDiscard, .vmmConvert, .vmmRefuse, .vmmAccess: .vmm
        case .hostAlloc: .host
        }
    }

    /// The verb as the scene language writes it.
    public var verb: String {
        switch self {
        case .guestPSC: "psc"
        case .guestPValidate: "pvalidate"
        case .guestAccess(_, let w, _), .kernelAccess(_, _, let w), .vmmAccess(_, let w): w ? "write" : "read"
        case .map: "map"
        case .unmap: "unmap"
        case .kvmExit: "exit"
        case .kvmFaultIn: "fault-in"
        case .kvmRMPUpdate: "rmpupdate"
        case .kvmResume: "resume"
        case .vmmSetAttr: "set-attr"
        case .vmmAlloc, .hostAlloc: "alloc"
        case .vmmDiscard: "discard"
        case .vmmConvert: "convert"
        case .vmmRefuse: "refuse"
        }
    }

    public var target: PageTarget? {
        switch self {
        case .guestPSC(let t, _), .guestPValidate(let t, _), .guestAccess(let t, _, _), .map(_, let t, _),
             .unmap(_, let t), .kernelAccess(_, let t, _), .kvmExit(let t), .kvmFaultIn(let t),
             .kvmRMPUpdate(let t, _), .vmmSetAttr(let t, _), .vmmAlloc(let t, _), .vmmDiscard(let t, _),
             .vmmConvert(let t, _), .vmmRefuse(let t), .vmmAccess(let t, _):
            t
        case .kvmResume: nil
        case .hostAlloc(let name): .kernel(name: name)
        }
    }

    /// Why this operation cannot run under `config`, or nil when it can. The scene language reports
    /// it at the operation's line, for every variant.
    public func impossibility(under config: Config) -> String? {
        guard !config.upm else { return nil }
        let because = config.explicit[.upm] == nil ? " (kernel \(config.kernel.rawValue) has 'upm off')" : ""
        return upmReason.map { $0 + because }
    }

    private var upmReason: String? {
        switch self {
        case .vmmAlloc(_, .private), .vmmDiscard(_, .private): "the private fd exists only with 'upm on'"
        default: spec?.needsUPM
        }
    }
}
