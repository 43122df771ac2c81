import MemoryModel

/// The tables a change can land in, named as the screen names them.
public enum TableID: String, Sendable, Hashable, CaseIterable {
    case rmp = "RMP"
    case directMap = "direct map"
    case sharedFD = "shared fd"
    case privateFD = "private fd"
    case kvm = "KVM"
    case guest = "guest"
    case frame = "frame"
}

/// The fields a change can be to: the RMP's bits, the direct map's present bit and mappings, a
/// frame's owner and pins, a gfn's frames, attribute, NPT entry, request, guest view and orphans.
public enum ChangeField: String, Sendable, Hashable, CaseIterable {
    case assigned, asid, gfn, validated, present, mapping, owner, pins
    case frame, attribute, npt, request, view, orphans
}

/// A changed field's value, kept typed from the model to the screen: the narration, the change
/// marks and the page line read these, and only `description` turns one into words.
public enum ChangeValue: Sendable, Hashable, CustomStringConvertible {
    case bit(Bool)
    case count(Int)
    /// A gfn or pfn, written in hex.
    case address(Int)
    case present(Bool)
    case owner(FrameOwner)
    /// Who maps a page and how ("kvm ghcb via kmap"); nil: no mapping.
    case mapping(String?)
    /// The pfn an fd holds for a gfn; nil: a hole.
    case frame(Int?)
    case kind(MemoryKind)
    /// The pfn and kind of an NPT entry; nil: none.
    case npt(NPTValue?)
    case request(PendingRequest?)

    public var description: String {
        switch self {
        case .bit(let b): b ? "1" : "0"
        case .count(let n): String(n)
        case .address(let a): hex(a)
        case .present(let p): p ? "present" : "not present"
        case .owner(let o): ownerWord(o)
        case .mapping(let m): m ?? "none"
        case .frame(let f): f.map(hex) ?? "hole"
        case .kind(let k): k.rawValue
        case .npt(let e): e.map { "\(hex($0.pfn)) \($0.kind.rawValue)" } ?? "none"
        case .request(let p):
            p.map { "\($0.kind.rawValue)\($0.forwarded ? ", forwarded" : "")\($0.failed ? ", failed" : "")\($0.refused ? ", refused by the VMM" : "")" } ?? "none"
        }
    }
}

/// An NPT entry as a change shows it: the pfn it points at and its kind.
public struct NPTValue: Sendable, Hashable {
    public let pfn: Int
    public let kind: MemoryKind
}

/// One field that an action changed: table, row (a pfn or a gfn), field, value before and after.
public struct Change: Sendable, Hashable, CustomStringConvertible {
    public let table: TableID
    public let row: Int
    public let field: ChangeField
    public let before: ChangeValue
    public let after: ChangeValue

    public var description: String { "\(table.rawValue)[\(hex(row))].\(field.rawValue): \(before) → \(after)" }
}

extension Trace {
    /// What action i changed, field by field, in table order.
    public func changes(of i: Int) -> [Change] {
        let geometry = initial.geometry
        var out: [Change] = []
        for w in writes(of: i) {
            switch w {
            case .frame(let f, let b, let a): out += frameChanges(pfn: geometry.pfn(f), b, a)
            case .page(let s, let b, let a): out += pageChanges(gfn: geometry.gfn(ofSlot: Int(s)), b, a, geometry)
            case .mapping(let k, let b, let a):
                let frame = a ?? b
                let pfn = frame.map { $0.frame >= 0 ? geometry.pfn($0.frame) : -1 } ?? -1
                let who = "\(k.holder.rawValue) \(mappingName(k.page, geometry))"
                out.append(Change(table: .directMap, row: pfn, field: .mapping,
                                  before: .mapping(b.map { "\(who) via \($0.via.rawValue)" }),
                                  after: .mapping(a.map { "\(who) via \($0.via.rawValue)" })))
            case .watermark, .freedPush, .freedRemove, .kernelObject: break
            }
        }
        return out
    }

    func mappingName(_ ref: PageRef, _ geometry: Geometry) -> String {
        switch ref {
        case .guest(let s): geometry.name(ofSlot: s)
        case .kernel(let k): k < kernelNames.count ? kernelNames[k] : "kernel#\(k)"
        }
    }
}

func frameChanges(pfn: Int, _ b: FrameState, _ a: FrameState) -> [Change] {
    var out: [Change] = []
    func add(_ t: TableID, _ f: ChangeField, _ x: ChangeValue, _ y: ChangeValue) {
        if x != y { out.append(Change(table: t, row: pfn, field: f, before: x, after: y)) }
    }
    add(.rmp, .assigned, .bit(b.assigned), .bit(a.assigned))
    add(.rmp, .asid, .count(Int(b.asid)), .count(Int(a.asid)))
    add(.rmp, .gfn, .address(b.rmpGFN), .address(a.rmpGFN))
    add(.rmp, .validated, .bit(b.validated), .bit(a.validated))
    add(.directMap, .present, .present(b.present), .present(a.present))
    add(.frame, .owner, .owner(b.owner), .owner(a.owner))
    add(.frame, .pins, .count(Int(b.pins)), .count(Int(a.pins)))
    return out
}

func pageChanges(gfn: Int, _ b: GuestPageState, _ a: GuestPageState, _ geometry: Geometry) -> [Change] {
    var out: [Change] = []
    func add(_ t: TableID, _ f: ChangeField, _ x: ChangeValue, _ y: ChangeValue) {
        if x != y { out.append(Change(table: t, row: gfn, field: f, before: x, after: y)) }
    }
    func frame(_ f: Int32) -> ChangeValue { .frame(f >= 0 ? geometry.pfn(f) : nil) }
    func npt(_ e: NPTEntry?) -> ChangeValue { .npt(e.map { NPTValue(pfn: geometry.pfn($0.frame), kind: $0.kind) }) }
    add(.sharedFD, .frame, frame(b.sharedFrame), frame(a.sharedFrame))
    add(.privateFD, .frame, frame(b.privateFrame), frame(a.privateFrame))
    add(.kvm, .attribute, .kind(b.attribute), .kind(a.attribute))
    add(.kvm, .npt, npt(b.npt), npt(a.npt))
    add(.kvm, .request, .request(b.pending), .request(a.pending))
    add(.guest, .view, .kind(b.guestView), .kind(a.guestView))
    add(.sharedFD, .orphans, .count(Int(b.orphans)), .count(Int(a.orphans)))
    return out
}


/// A frame's owner in a word or two, as the tables show it.
public func ownerWord(_ o: FrameOwner) -> String {
    switch o {
    case .free: "free"
    case .sharedFD(let g): "shared fd \(hex(g))"
    case .privateFD(let g): "private fd \(hex(g))"
    case .orphan(let g): "orphan \(hex(g))"
    case .kernel(let k): "kernel #\(k)"
    }
}
