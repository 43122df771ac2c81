/// The fixed shape of a world, shared by every copy of it: gfn slots and pfn numbering.
public final class Geometry: Sendable {
    public let layout: Layout
    public let pfnBase: Int
    public let frameCount: Int
    /// First slot of each page declaration; slots of one declaration are consecutive, in gfn order.
    public let slotStart: [Int]
    public let slotCount: Int
    /// Slot ranges of the declarations sorted by gfn, for lookups by gfn and gfn-ordered walks.
    let byGFN: [(first: Int, count: Int, slot: Int)]

    public init(layout: Layout) {
        self.layout = layout
        pfnBase = layout.pfns.lowerBound
        frameCount = layout.pfns.count
        var starts: [Int] = []
        var n = 0
        for p in layout.pages {
            starts.append(n)
            n += p.count
        }
        slotStart = starts
        slotCount = n
        byGFN = layout.pages.indices
            .map { (layout.pages[$0].firstGFN, layout.pages[$0].count, starts[$0]) }
            .sorted { $0.0 < $1.0 }
    }

    /// Which declaration a slot belongs to, and its index in that declaration.
    public func declaration(ofSlot slot: Int) -> (page: Int, index: Int) {
        var lo = 0, hi = slotStart.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if slotStart[mid] <= slot { lo = mid } else { hi = mid - 1 }
        }
        return (lo, slot - slotStart[lo])
    }

    public func gfn(ofSlot slot: Int) -> Int {
        let (p, i) = declaration(ofSlot: slot)
        return layout.pages[p].firstGFN + i
    }

    public func slot(ofGFN gfn: Int) -> Int? {
        var lo = 0, hi = byGFN.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = byGFN[mid]
            if gfn < r.first { hi = mid - 1 } else if gfn >= r.first + r.count { lo = mid + 1 } else {
                return r.slot + (gfn - r.first)
            }
        }
        return nil
    }

    /// Slots in ascending gfn order (the order of the fd tables).
    public func slot(atGFNRank rank: Int) -> Int {
        var left = rank
        for r in byGFN {
            if left < r.count { return r.slot + left }
            left -= r.count
        }
        return rank
    }

    /// The position of a slot in ascending gfn order: the inverse of `slot(atGFNRank:)`.
    public func rank(ofSlot slot: Int) -> Int {
        var before = 0
        for r in byGFN {
            if slot >= r.slot, slot < r.slot + r.count { return before + (slot - r.slot) }
            before += r.count
        }
        return slot
    }

    /// "buf[2]" for a page of a range, "ghcb" for a single page.
    public func name(ofSlot slot: Int) -> String {
        let (p, i) = declaration(ofSlot: slot)
        let decl = layout.pages[p]
        return decl.count == 1 ? decl.name : "\(decl.name)[\(i)]"
    }

    public func pfn(_ frame: Int32) -> Int { pfnBase + Int(frame) }
}

/// One state change, with the value before and after, so a trace can move both ways.
public enum Write: Sendable, Hashable {
    case frame(Int32, before: FrameState, after: FrameState)
    case page(Int32, before: GuestPageState, after: GuestPageState)
    case mapping(MappingKey, before: Mapping?, after: Mapping?)
    case watermark(before: Int32, after: Int32)
    case freedPush(Int32)
    case freedRemove(index: Int32, frame: Int32)
    case kernelObject(KernelObject)
}

/// The whole state of the model (memory-model.md, State). A value: copies are cheap and independent.
public struct World: Sendable {
    public let geometry: Geometry
    public let config: Config
    public internal(set) var frames: PagedArray<FrameState>
    public internal(set) var pages: PagedArray<GuestPageState>
    public internal(set) var mappings: [MappingKey: Mapping] = [:]
    public internal(set) var kernelObjects: [KernelObject] = []
    /// Frames at or above the watermark were never handed out; they are free, lowest first.
    public internal(set) var watermark: Int32 = 0
    /// Frames freed since, most recent last.
    public internal(set) var freed = ChunkedStack()
    /// Gfns with at least one frame behind them, kept up to date for the footer.
    public internal(set) var backedPages = 0

    /// Writes and outcomes of the action being performed; the engine takes them after each action.
    var journal: [Write] = []
    var raised: [Outcome] = []
    var recording = true

    public var layout: Layout { geometry.layout }
    public var freeCount: Int { geometry.frameCount - Int(watermark) + freed.count }
    public var framesInUse: Int { geometry.frameCount - freeCount }

    // MARK: - Logged updates: every change to the state goes through one of these.

    mutating func setFrame(_ f: Int32, _ new: FrameState) {
        let old = frames[Int(f)]
        guard old != new else { return }
        frames[Int(f)] = new
        if recording { journal.append(.frame(f, before: old, after: new)) }
    }

    mutating func updateFrame(_ f: Int32, _ body: (inout FrameState) -> Void) {
        var s = frames[Int(f)]
        body(&s)
        setFrame(f, s)
    }

    mutating func setPage(_ slot: Int32, _ new: GuestPageState) {
        let old = pages[Int(slot)]
        guard old != new else { return }
        pages[Int(slot)] = new
        backedPages += (new.backingCount > 0 ? 1 : 0) - (old.backingCount > 0 ? 1 : 0)
        if recording { journal.append(.page(slot, before: old, after: new)) }
    }

    mutating func updatePage(_ slot: Int32, _ body: (inout GuestPageState) -> Void) {
        var s = pages[Int(slot)]
        body(&s)
        setPage(slot, s)
    }

    mutating func setMapping(_ key: MappingKey, _ new: Mapping?) {
        let old = mappings[key]
        guard old != new else { return }
        mappings[key] = new
        if recording { journal.append(.mapping(key, before: old, after: new)) }
    }

    mutating func raise(_ outcome: Outcome) {
        raised.append(outcome)
    }

    /// Takes the writes and outcomes of the last action.
    public mutating func drain() -> (writes: [Write], outcomes: [Outcome]) {
        defer {
            journal.removeAll(keepingCapacity: true)
            raised.removeAll(keepingCapacity: true)
        }
        return (journal, raised)
    }

    // MARK: - Replaying writes (a trace moving forward or back)

    public mutating func apply(_ w: Write, forward: Bool) {
        let was = recording
        recording = false
        defer { recording = was }
        switch w {
        case .frame(let f, let b, let a): setFrame(f, forward ? a : b)
        case .page(let s, let b, let a): setPage(s, forward ? a : b)
        case .mapping(let k, let b, let a): setMapping(k, forward ? a : b)
        case .watermark(let b, let a): watermark = forward ? a : b
        case .freedPush(let f):
            if forward { freed.push(f) } else { freed.pop() }
        case .freedRemove(let i, let f):
            if forward { _ = freed.remove(at: Int(i)) } else { freed.insert(f, at: Int(i)) }
        case .kernelObject(let o):
            if forward { kernelObjects.append(o) } else { kernelObjects.removeLast() }
        }
    }
}

extension World {
    /// Everything that decides a world's future (its geometry and config are fixed for a run): two
    /// worlds with equal keys behave alike under every later action. The explorer merges on it.
    public struct StateKey: Hashable, Sendable {
        let frames: PagedArray<FrameState>
        let pages: PagedArray<GuestPageState>
        let mappings: [MappingKey: Mapping]
        let kernelObjects: [KernelObject]
        let watermark: Int32
        let freed: ChunkedStack
    }

    public var stateKey: StateKey {
        StateKey(frames: frames, pages: pages, mappings: mappings, kernelObjects: kernelObjects,
                 watermark: watermark, freed: freed)
    }
}
