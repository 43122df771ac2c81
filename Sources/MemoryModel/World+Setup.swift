extension World {
    /// The initial state (memory-model.md, Initial state): pages backed in declaration order, set
    /// directly, with no action, no outcome, and `rmpupdate fail` not applied.
    public init(layout: Layout, config: Config) {
        geometry = Geometry(layout: layout)
        self.config = config
        frames = PagedArray(repeating: FrameState(), count: geometry.frameCount)
        pages = PagedArray(repeating: GuestPageState(), count: geometry.slotCount)
        recording = false
        for (p, decl) in layout.pages.enumerated() {
            for i in 0..<decl.count {
                let slot = Int32(geometry.slotStart[p] + i)
                let gfn = decl.firstGFN + i
                setUpPage(slot: slot, gfn: gfn, backing: decl.backing)
            }
        }
        recording = true
    }

    private mutating func setUpPage(slot: Int32, gfn: Int, backing: InitialBacking) {
        var page = GuestPageState()
        switch backing {
        case .unbacked:
            break
        case .shared:
            // The scene language refuses a layout bigger than the pool; a short pool leaves a hole.
            guard let f = takeFreeFrame() else { break }
            frames[Int(f)].owner = .sharedFD(gfn: gfn)
            page.sharedFrame = f
            page.npt = NPTEntry(frame: f, kind: .shared)
        case .private:
            guard let f = takeFreeFrame() else { break }
            var frame = frames[Int(f)]
            if config.upm {
                frame.owner = .privateFD(gfn: gfn)
                page.privateFrame = f
            } else {
                frame.owner = .sharedFD(gfn: gfn)
                page.sharedFrame = f
            }
            frame.assigned = true
            frame.asid = UInt16(config.asid)
            frame.rmpGFN = gfn
            frame.validated = true
            frame.present = !config.directmapUnmap
            frames[Int(f)] = frame
            page.attribute = .private
            page.guestView = .private
            page.npt = NPTEntry(frame: f, kind: .private)
        }
        setPage(slot, page)
    }

    // MARK: - The allocator

    /// The frame the allocator would hand out next, and where it comes from.
    private func nextFree() -> (frame: Int32, stackIndex: Int?)? {
        let fresh = Int(watermark) < geometry.frameCount ? watermark : nil
        switch config.allocator {
        case .lifo:
            // Freed frames first, most recent first, as Linux's per-cpu lists do.
            if let top = freed.top { return (top, freed.count - 1) }
            return fresh.map { ($0, nil) }
        case .lowest:
            var best: (frame: Int32, stackIndex: Int?)? = fresh.map { ($0, nil) }
            for i in 0..<freed.count where best == nil || freed[i] < best?.frame ?? .max {
                best = (freed[i], i)
            }
            return best
        }
    }

    /// Takes a frame off the free list (logged), or nil when the pool is empty.
    mutating func takeFreeFrame() -> Int32? {
        guard let next = nextFree() else { return nil }
        if let i = next.stackIndex {
            _ = freed.remove(at: i)
            if recording { journal.append(.freedRemove(index: Int32(i), frame: next.frame)) }
        } else {
            let old = watermark
            watermark += 1
            if recording { journal.append(.watermark(before: old, after: watermark)) }
        }
        return next.frame
    }

    /// Allocates a frame for `owner`; raises `out-of-memory` (fatal) when the pool is empty.
    mutating func allocate(for owner: FrameOwner, page: String?, gfn: Int?) -> Int32? {
        guard let f = takeFreeFrame() else {
            raise(Outcome(kind: .outOfMemory, page: page, gfn: gfn,
                          reason: "the pfn pool \(hex(geometry.layout.pfns.lowerBound))..\(hex(geometry.layout.pfns.upperBound)) has no free frame left"))
            return nil
        }
        updateFrame(f) {
            // A stale kernel mapping outlives the frame's owners: the guard still sees it.
            let (tracked, kvm) = ($0.trackedMappings, $0.kvmMappings)
            $0 = FrameState()
            $0.owner = owner
            $0.trackedMappings = tracked
            $0.kvmMappings = kvm
        }
        return f
    }

    /// Returns a frame to the free list. The caller has made it shared first.
    mutating func release(_ f: Int32) {
        updateFrame(f) {
            let (tracked, kvm) = ($0.trackedMappings, $0.kvmMappings)
            $0 = FrameState()
            $0.trackedMappings = tracked
            $0.kvmMappings = kvm
        }
        freed.push(f)
        if recording { journal.append(.freedPush(f)) }
    }
}

/// "0x10" style numbers, as kernel developers read pfns and gfns.
public func hex(_ n: Int) -> String {
    guard n >= 0 else { return String(n) }
    // Every table row prints a few of these on every frame: the digits straight into the string's
    // storage (a small string, at most 18 bytes) instead of String(_:radix:) and a concatenation.
    var digits = 1
    while digits < 16 && n >> (4 * digits) != 0 { digits += 1 }
    return String(unsafeUninitializedCapacity: digits + 2) { buffer in
        buffer[0] = 0x30
        buffer[1] = 0x78
        for i in 0..<digits {
            let nibble = UInt8(truncatingIfNeeded: n >> (4 * (digits - 1 - i))) & 0xF
            buffer[2 + i] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
        }
        return digits + 2
    }
}
