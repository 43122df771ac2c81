extension World {
    /// The invariants of memory-model.md, checked on the frames and pages an action touched (a full
    /// check after every action would make a 262,144-page run quadratic). Returns what is broken.
    public func brokenInvariants(frames touchedFrames: [Int32], slots touchedSlots: [Int32]) -> [String] {
        var broken: [String] = []
        var framesToCheck = touchedFrames
        for s in touchedSlots {
            let p = pages[Int(s)]
            let g = gfn(s)
            for (side, f) in [(MemoryKind.shared, p.sharedFrame), (.private, p.privateFrame)] where f >= 0 {
                framesToCheck.append(f)
                let want: FrameOwner = side == .shared ? .sharedFD(gfn: g) : .privateFD(gfn: g)
                if frames[Int(f)].owner != want {
                    broken.append("the \(side.rawValue) fd at gfn \(hex(g)) holds pfn \(pfnText(f)), which belongs to \(ownerText(frames[Int(f)].owner))")
                }
            }
            if let e = p.npt, e.frame != p.sharedFrame, e.frame != p.privateFrame {
                broken.append("the NPT maps gfn \(hex(g)) to pfn \(pfnText(e.frame)), which neither fd holds at that offset")
            }
        }
        for f in framesToCheck {
            let frame = frames[Int(f)]
            switch frame.owner {
            case .free:
                if frame.assigned { broken.append("pfn \(pfnText(f)) is on the free list but assigned in the RMP") }
                if frame.pins > 0 { broken.append("pfn \(pfnText(f)) is on the free list but pinned") }
                if Int(f) < Int(watermark), !freed.contains(f) {
                    broken.append("pfn \(pfnText(f)) is owned by nobody and not on the free list")
                }
            case .sharedFD(let g), .privateFD(let g):
                let side: MemoryKind = if case .sharedFD = frame.owner { .shared } else { .private }
                if let s = geometry.slot(ofGFN: g), pages[s].frame(in: side) != f {
                    broken.append("pfn \(pfnText(f)) claims the \(side.rawValue) fd at gfn \(hex(g)), which holds another frame")
                }
            case .orphan:
                break
            case .kernel(let k):
                if k >= kernelObjects.count || kernelObjects[k].frame != f {
                    broken.append("pfn \(pfnText(f)) claims a kernel object that does not hold it")
                }
            }
            if frame.assigned {
                if Int(frame.asid) != config.asid {
                    broken.append("pfn \(pfnText(f)) is assigned to ASID \(frame.asid), not the guest's \(config.asid)")
                }
                if let g = frame.owner.gfn, g != frame.rmpGFN {
                    broken.append("pfn \(pfnText(f)) is assigned at gfn \(hex(frame.rmpGFN)) but backs gfn \(hex(g))")
                } else if frame.owner.gfn == nil {
                    broken.append("pfn \(pfnText(f)) is assigned to the guest but is not guest memory")
                }
            }
        }
        return broken
    }

    /// The end-of-step check for `double-allocation`: raised once when a gfn starts being backed by
    /// two or more frames, again only if it ends and begins anew.
    public mutating func endStep(touched slots: [Int32]) {
        for s in slots {
            let p = pages[Int(s)]
            let doubled = p.backingCount >= 2
            guard doubled != p.doubledAtStepEnd else { continue }
            updatePage(s) { $0.doubledAtStepEnd = doubled }
            guard doubled else { continue }
            var sides: [String] = []
            if p.sharedFrame >= 0 { sides.append("\(pfnText(p.sharedFrame)) (shared fd)") }
            if p.privateFrame >= 0 { sides.append("\(pfnText(p.privateFrame)) (private fd)") }
            if p.orphans > 0 { sides.append("\(p.orphans) orphan\(p.orphans == 1 ? "" : "s") still pinned") }
            let g = gfn(s)
            raise(Outcome(kind: .doubleAllocation, page: name(s), gfn: g,
                          frame: geometry.pfn(p.privateFrame >= 0 ? p.privateFrame : p.sharedFrame),
                          reason: "gfn \(hex(g)) is backed by \(p.backingCount) frames: \(sides.joined(separator: ", "))" + (p.orphans > 0
                            ? "; the discarded frame is still pinned, so nobody frees it" : "; the inactive side was not discarded")))
        }
    }
}
