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

/// One field that an action changed: table, row (a pfn or a gfn), field, value before and after.
public struct Change: Sendable, Hashable, CustomStringConvertible {
    public let table: TableID
    public let row: Int
    public let field: String
    public let before: String
    public let after: String

    public var description: String { "\(table.rawValue)[\(hex(row))].\(field): \(before) → \(after)" }
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
                out.append(Change(table: .directMap, row: pfn, field: "mapping",
                                  before: b.map { "\(who) via \($0.via.rawValue)" } ?? "none",
                                  after: a.map { "\(who) via \($0.via.rawValue)" } ?? "none"))
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
    func add(_ t: TableID, _ f: String, _ x: String, _ y: String) {
        if x != y { out.append(Change(table: t, row: pfn, field: f, before: x, after: y)) }
    }
    add(.rmp, "assigned", bit(b.assigned), bit(a.assigned))
    add(.rmp, "asid", String(b.asid), String(a.asid))
    add(.rmp, "gfn", hex(b.rmpGFN), hex(a.rmpGFN))
    add(.rmp, "validated", bit(b.validated), bit(a.validated))
    add(.directMap, "present", b.present ? "present" : "not present", a.present ? "present" : "not present")
    add(.frame, "owner", ownerWord(b.owner), ownerWord(a.owner))
    add(.frame, "pins", String(b.pins), String(a.pins))
    return out
}

func pageChanges(gfn: Int, _ b: GuestPageState, _ a: GuestPageState, _ geometry: Geometry) -> [Change] {
    var out: [Change] = []
    func add(_ t: TableID, _ f: String, _ x: String, _ y: String) {
        if x != y { out.append(Change(table: t, row: gfn, field: f, before: x, after: y)) }
    }
    func frame(_ f: Int32) -> String { f >= 0 ? hex(geometry.pfn(f)) : "hole" }
    func npt(_ e: NPTEntry?) -> String { e.map { "\(hex(geometry.pfn($0.frame))) \($0.kind.rawValue)" } ?? "none" }
    func pending(_ p: PendingRequest?) -> String {
        guard let p else { return "none" }
        return "\(p.kind.rawValue)\(p.forwarded ? ", forwarded" : "")\(p.failed ? ", failed" : "")\(p.refused ? ", refused by the VMM" : "")"
    }
    add(.sharedFD, "frame", frame(b.sharedFrame), frame(a.sharedFrame))
    add(.privateFD, "frame", frame(b.privateFrame), frame(a.privateFrame))
    add(.kvm, "attribute", b.attribute.rawValue, a.attribute.rawValue)
    add(.kvm, "npt", npt(b.npt), npt(a.npt))
    add(.kvm, "request", pending(b.pending), pending(a.pending))
    add(.guest, "view", b.guestView.rawValue, a.guestView.rawValue)
    add(.sharedFD, "orphans", String(b.orphans), String(a.orphans))
    return out
}

func bit(_ b: Bool) -> String { b ? "1" : "0" }

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
