/// The two kinds of guest memory: what a conversion, an attribute or a C-bit names.
public enum MemoryKind: String, Sendable, Hashable, CaseIterable {
    case `private`
    case shared
    public var other: MemoryKind { self == .private ? .shared : .private }
}

/// The actors of a scene: who runs an operation.
public enum Actor: String, Sendable, Hashable, CaseIterable {
    case guest, kvm, vmm, host
}

/// Kernel code that can hold a mapping of a page.
public enum Holder: String, Sendable, Hashable, CaseIterable, Comparable {
    case kvm, host
    public static func < (a: Holder, b: Holder) -> Bool { a.rawValue < b.rawValue }
}

/// How kernel code reaches a page; decides whether a fault has a fixup and what the kmap guard sees.
public enum Via: String, Sendable, Hashable, CaseIterable {
    case kmap, pin
    case pageAddress = "page_address"
    case uaccess
    /// Mappings the refcount guard tracks (Marc Orr's proposal): `page_address` and uaccess are invisible to it.
    public var isTracked: Bool { self == .kmap || self == .pin }
}

/// How a declared page is backed before the first step.
public enum InitialBacking: String, Sendable, Hashable, CaseIterable {
    case shared, `private`, unbacked
}

/// A guest page declaration: one name over a range of gfns.
public struct PageDeclaration: Sendable, Hashable {
    public var name: String
    public var firstGFN: Int
    public var count: Int
    public var backing: InitialBacking
    public var label: String?

    public init(name: String, firstGFN: Int, count: Int, backing: InitialBacking, label: String? = nil) {
        self.name = name
        self.firstGFN = firstGFN
        self.count = count
        self.backing = backing
        self.label = label
    }

    public var gfns: ClosedRange<Int> { firstGFN...(firstGFN + count - 1) }
}

/// The declared shape of a world: its pages and the frames the allocator may hand out.
public struct Layout: Sendable, Hashable {
    public var pages: [PageDeclaration]
    public var pfns: ClosedRange<Int>

    public static let defaultPFNs = 0x100...0x13f

    public init(pages: [PageDeclaration], pfns: ClosedRange<Int> = Layout.defaultPFNs) {
        self.pages = pages
        self.pfns = pfns
    }

    /// Frames the initial state needs: one per page that starts backed.
    public var framesNeeded: Int {
        pages.reduce(0) { $0 + ($1.backing == .unbacked ? 0 : $1.count) }
    }
}
