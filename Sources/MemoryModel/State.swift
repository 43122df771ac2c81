/// Who owns a host frame. Exactly one owner at a time (the first invariant).
public enum FrameOwner: Sendable, Hashable {
    case free
    case sharedFD(gfn: Int)
    case privateFD(gfn: Int)
    /// Dropped by its file but still pinned by kernel code.
    case orphan(gfn: Int)
    /// Other kernel code's own frame (`host alloc NAME`); the index names a kernel object.
    case kernel(Int)

    /// The gfn this frame backs or backed, if it is guest memory.
    public var gfn: Int? {
        switch self {
        case .sharedFD(let g), .privateFD(let g), .orphan(let g): g
        case .free, .kernel: nil
        }
    }
}

/// One host frame: its owner and pins, its RMP entry and its direct-map entry.
public struct FrameState: Sendable, Hashable {
    public var owner: FrameOwner = .free
    public var pins: Int32 = 0
    /// Mappings the kmap guard can see (`kmap` or `pin`): kept here so the guard's check is O(1).
    public var trackedMappings: Int32 = 0
    /// KVM's mappings that captured this frame (any `via` but `uaccess`), for the post-map guard.
    public var kvmMappings: Int32 = 0
    /// RMP: Assigned (0 = hypervisor-owned, shared).
    public var assigned = false
    public var asid: UInt16 = 0
    /// RMP: the GPA the page may be mapped at, as a gfn.
    public var rmpGFN = 0
    public var validated = false
    /// Host direct map: is the entry present?
    public var present = true

    public init() {}
}

/// A pending Page State Change request from the guest.
public struct PendingRequest: Sendable, Hashable {
    public var kind: MemoryKind
    /// KVM forwarded it to the VMM (`kvm exit`).
    public var forwarded = false
    /// It met `conversion-refused` or `rmpupdate-failed`: it will fail at `kvm resume`.
    public var failed = false
    /// The VMM refused it (`vmm refuse`): it will fail at `kvm resume`.
    public var refused = false

    /// It will fail at `kvm resume`, for either reason.
    public var willFail: Bool { failed || refused }
}

/// A nested page table entry: the frame and whether it maps it private (C-bit set) or shared.
public struct NPTEntry: Sendable, Hashable {
    public var frame: Int32
    public var kind: MemoryKind
}

/// Everything per gfn: both fds, KVM's attribute, NPT and pending requests, and the guest's view.
public struct GuestPageState: Sendable, Hashable {
    /// Frame indices (not pfns), -1 for a hole.
    public var sharedFrame: Int32 = -1
    public var privateFrame: Int32 = -1
    public var attribute: MemoryKind = .shared
    public var npt: NPTEntry?
    /// The C-bit the guest uses for the page.
    public var guestView: MemoryKind = .shared
    public var pending: PendingRequest?
    /// Frames of this gfn dropped by their file but still pinned.
    public var orphans: Int32 = 0
    /// Whether the gfn was doubly backed at the end of the last step (for `double-allocation`).
    public var doubledAtStepEnd = false

    public init() {}

    /// Frames backing this gfn: shared fd, private fd and orphans.
    public var backingCount: Int {
        (sharedFrame >= 0 ? 1 : 0) + (privateFrame >= 0 ? 1 : 0) + Int(orphans)
    }

    public func frame(in side: MemoryKind) -> Int32 { side == .private ? privateFrame : sharedFrame }
}

/// A page argument after resolution to one page: a guest page slot or a kernel object.
public enum PageRef: Sendable, Hashable, Comparable {
    case guest(slot: Int)
    case kernel(Int)
}

/// A kernel mapping of a page held by KVM or other host code.
public struct Mapping: Sendable, Hashable {
    public var via: Via
    /// The frame captured at map time; -1 for `uaccess`, which looks the frame up at each access.
    public var frame: Int32
    /// The frame's owner when it was mapped: a later access to a frame that changed hands is a use-after-free.
    public var ownerAtMap: FrameOwner
}

/// Who holds a mapping of which page.
public struct MappingKey: Sendable, Hashable, Comparable {
    public var holder: Holder
    public var page: PageRef
    public init(holder: Holder, page: PageRef) {
        self.holder = holder
        self.page = page
    }
    public static func < (a: MappingKey, b: MappingKey) -> Bool {
        (a.holder, a.page) < (b.holder, b.page)
    }
}

/// A frame given to other kernel code by `host alloc NAME`.
public struct KernelObject: Sendable, Hashable {
    public var name: String
    public var frame: Int32
}
