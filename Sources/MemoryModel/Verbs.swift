/// What a verb takes after it, in the scene language.
public enum VerbShape: Sendable, Hashable {
    /// `kvm resume`
    case nothing
    /// `host alloc NAME`
    case name
    /// `kvm unmap P`
    case page
    /// `vmm convert P private|shared`
    case pageKind
    /// `guest pvalidate P on|off`
    case pageOnOff
    /// `guest read P [private|shared]`
    case pageOptionalCBit
    /// `kvm map P [via=…]`
    case pageVia
}

/// The words after a verb, read by the parser and turned into an `Operation` by `VerbSpec.make`.
public struct Operands: Sendable {
    public var target: PageTarget?
    public var kind: MemoryKind?
    public var on = false
    public var via: Via?
    public var name = ""
    public init(target: PageTarget? = nil, kind: MemoryKind? = nil, on: Bool = false, via: Via? = nil, name: String = "") {
        self.target = target
        self.kind = kind
        self.on = on
        self.via = via
        self.name = name
    }
}

/// One verb of one actor (memory-model.md, Operations): its shape, and whether it needs UPM. The
/// parser, the writer and the UPM check read this table; nothing else lists the verbs.
public struct VerbSpec: Sendable {
    public let actor: Actor
    public let word: String
    public let shape: VerbShape
    /// Why the verb needs `upm on`, or nil when it runs without UPM.
    public let needsUPM: String?
    let build: @Sendable (Operands) -> Operation?

    /// The operation for these operands, or nil when one the shape requires is missing.
    public func make(_ o: Operands) -> Operation? { build(o) }

    /// Every verb, grouped by actor, in the order messages list them.
    public static let all: [VerbSpec] = {
        func v(_ a: Actor, _ w: String, _ s: VerbShape, upm: String? = nil,
               _ b: @escaping @Sendable (Operands) -> Operation?) -> VerbSpec {
            VerbSpec(actor: a, word: w, shape: s, needsUPM: upm, build: b)
        }
        func kinded(_ f: @escaping @Sendable (PageTarget, MemoryKind) -> Operation) -> @Sendable (Operands) -> Operation? {
            { o in o.target.flatMap { t in o.kind.map { f(t, $0) } } }
        }
        func paged(_ f: @escaping @Sendable (PageTarget) -> Operation) -> @Sendable (Operands) -> Operation? {
            { o in o.target.map(f) }
        }
        let forwarded = "forwards a request to the VMM (KVM_HC_MAP_GPA_RANGE), which needs 'upm on'"
        var all: [VerbSpec] = [
            v(.guest, "psc", .pageKind, kinded { .guestPSC($0, $1) }),
            v(.guest, "pvalidate", .pageOnOff) { o in o.target.map { .guestPValidate($0, on: o.on) } },
            v(.guest, "read", .pageOptionalCBit) { o in o.target.map { .guestAccess($0, write: false, cbit: o.kind) } },
            v(.guest, "write", .pageOptionalCBit) { o in o.target.map { .guestAccess($0, write: true, cbit: o.kind) } },
        ]
        for h in [Holder.kvm, .host] {
            let actor: Actor = h == .kvm ? .kvm : .host
            if h == .host { all.append(v(.host, "alloc", .name) { .hostAlloc($0.name) }) }
            all += [
                v(actor, "map", .pageVia) { o in o.target.map { .map(h, $0, o.via) } },
                v(actor, "unmap", .page, paged { .unmap(h, $0) }),
                v(actor, "read", .page, paged { .kernelAccess(h, $0, write: false) }),
                v(actor, "write", .page, paged { .kernelAccess(h, $0, write: true) }),
            ]
            if h == .kvm {
                all += [
                    v(.kvm, "exit", .page, upm: "'kvm exit' " + forwarded, paged { .kvmExit($0) }),
                    v(.kvm, "fault-in", .page, paged { .kvmFaultIn($0) }),
                    v(.kvm, "rmpupdate", .pageKind, kinded { .kvmRMPUpdate($0, $1) }),
                    v(.kvm, "resume", .nothing) { _ in .kvmResume },
                ]
            }
        }
        all += [
            v(.vmm, "set-attr", .pageKind, upm: "'vmm set-attr' (KVM_SET_MEMORY_ATTRIBUTES) needs 'upm on'",
              kinded { .vmmSetAttr($0, $1) }),
            v(.vmm, "alloc", .pageKind, kinded { .vmmAlloc($0, $1) }),
            v(.vmm, "discard", .pageKind, kinded { .vmmDiscard($0, $1) }),
            v(.vmm, "convert", .pageKind,
              upm: "'vmm convert' needs 'upm on': without UPM a page is converted in place by 'kvm rmpupdate'",
              kinded { .vmmConvert($0, $1) }),
            v(.vmm, "refuse", .page, upm: "'vmm refuse' answers a request KVM " + forwarded, paged { .vmmRefuse($0) }),
            v(.vmm, "read", .page, paged { .vmmAccess($0, write: false) }),
            v(.vmm, "write", .page, paged { .vmmAccess($0, write: true) }),
        ]
        return all
    }()

    public static func named(_ actor: Actor, _ word: String) -> VerbSpec? {
        all.first { $0.actor == actor && $0.word == word }
    }

    public static func words(of actor: Actor) -> [String] {
        all.filter { $0.actor == actor }.map(\.word)
    }
}

extension Operation {
    /// This operation's row in the verb table.
    public var spec: VerbSpec? { VerbSpec.named(actor, verb) }

    /// The memory kind, C-bit or on/off the operation was written with, as the language spells it.
    public var argumentWord: String? {
        switch self {
        case .guestPSC(_, let k), .kvmRMPUpdate(_, let k), .vmmSetAttr(_, let k), .vmmAlloc(_, let k),
             .vmmDiscard(_, let k), .vmmConvert(_, let k):
            k.rawValue
        case .guestAccess(_, _, let cbit): cbit?.rawValue
        case .guestPValidate(_, let on): on ? "on" : "off"
        default: nil
        }
    }
}
