extension World {
    /// Performs one page-level action (memory-model.md, Operations). Each case is a guard, its
    /// updates, and nothing else touched; the writes and outcomes are left for `drain()`.
    public mutating func perform(_ action: PageAction) {
        switch action {
        case .pscUnvalidate(let s): pvalidate(slot: s, on: false, fromPSC: true)
        case .pscRecord(let s, let kind): updatePage(s) { $0.pending = PendingRequest(kind: kind) }
        case .vmgexit, .narrate: break
        case .pvalidate(let s, let on): pvalidate(slot: s, on: on, fromPSC: false)
        case .guestAccess(let s, let w, let c): guestAccess(slot: s, write: w, cbit: c)
        case .map(let h, let r, let via): map(holder: h, ref: r, via: via)
        case .unmap(let h, let r): unmap(holder: h, ref: r)
        case .kernelAccess(let h, let r, let w): kernelAccess(holder: h, ref: r, write: w)
        case .kvmExit(let s):
            updatePage(s) { if $0.pending != nil { $0.pending?.forwarded = true } }
        case .faultIn(let s): faultIn(slot: s)
        case .rmpupdate(let s, let kind): kvmRMPUpdate(slot: s, kind: kind)
        case .resume: resume()
        case .setAttr(let s, let kind): setAttribute(slot: s, kind: kind)
        case .alloc(let s, let kind): _ = fillHole(slot: s, side: kind)
        case .discard(let s, let kind): discard(slot: s, side: kind)
        case .refuse(let s): updatePage(s) { if $0.pending != nil { $0.pending?.refused = true } }
        case .vmmAccess(let s, let w): vmmAccess(slot: s, write: w)
        case .hostAlloc(let name):
            let k = kernelObjects.count
            if let f = allocate(for: .kernel(k), page: name, gfn: nil) {
                let o = KernelObject(name: name, frame: f)
                kernelObjects.append(o)
                if recording { journal.append(.kernelObject(o)) }
            }
        }
    }

    // MARK: - Helpers shared by the operations

    func gfn(_ s: Int32) -> Int { geometry.gfn(ofSlot: Int(s)) }
    func name(_ s: Int32) -> String { geometry.name(ofSlot: Int(s)) }
    func pfnText(_ f: Int32) -> String { hex(geometry.pfn(f)) }

    /// The frame in one fd at the page's gfn, filling a hole from the allocator.
    mutating func fillHole(slot s: Int32, side: MemoryKind) -> Int32? {
        let existing = pages[Int(s)].frame(in: side)
        if existing >= 0 { return existing }
        let g = gfn(s)
        let owner: FrameOwner = side == .private ? .privateFD(gfn: g) : .sharedFD(gfn: g)
        guard let f = allocate(for: owner, page: name(s), gfn: g) else { return nil }
        updatePage(s) { if side == .private { $0.privateFrame = f } else { $0.sharedFrame = f } }
        return f
    }

    /// Marks the page's pending request failed: `kvm resume` will not flip the guest's view.
    mutating func failPending(_ s: Int32?) {
        guard let s, pages[Int(s)].pending != nil else { return }
        updatePage(s) { $0.pending?.failed = true }
    }

    /// The frame with a kmap or pin mapping, as the refcount guard would see it.
    func hasTrackedMapping(_ f: Int32) -> Bool {
        frames[Int(f)].trackedMappings > 0
    }

    /// RMPUPDATE with every rule that applies to it: the kmap guard when assigning, `rmpupdate
    /// fail`, and the direct map. Returns whether the entry changed as asked.
    mutating func rmpupdate(_ f: Int32, to kind: MemoryKind, gfn g: Int, slot: Int32?, page: String) -> Bool {
        if kind == .private, config.postMapGuard, frames[Int(f)].kvmMappings > 0 {
            waitForKVM(f, gfn: g, page: page)
        }
        if kind == .private, config.kmapGuard, hasTrackedMapping(f) {
            raise(Outcome(kind: .conversionRefused, page: page, gfn: g, frame: geometry.pfn(f),
                          reason: "pfn \(pfnText(f)) has a kmap/pin reference: the guard refuses RMPUPDATE to private"))
            failPending(slot)
            return false
        }
        if config.rmpupdateFails {
            raise(Outcome(kind: .rmpupdateFailed, page: page, gfn: g, frame: geometry.pfn(f),
                          reason: "RMPUPDATE on pfn \(pfnText(f)) returned FAIL_INUSE (3): the entry is unchanged"))
            failPending(slot)
            return false
        }
        let asid = UInt16(config.asid), unmap = config.directmapUnmap
        updateFrame(f) {
            if kind == .private {
                $0.assigned = true
                $0.asid = asid
                $0.rmpGFN = g
                $0.validated = false
                if unmap { $0.present = false }
            } else {
                // rmp_make_shared() zeroes the entry; the direct map entry comes back.
                $0.assigned = false
                $0.asid = 0
                $0.rmpGFN = 0
                $0.validated = false
                $0.present = true
            }
        }
        return true
    }

    /// The post-map guard's PSC wait (patch 39/45): synchronize_srcu_expedited() until KVM is done
    /// with the frame; KVM's mappings of it are dropped as by `kvm unmap`.
    mutating func waitForKVM(_ f: Int32, gfn g: Int, page: String) {
        let keys = mappings.filter { $0.key.holder == .kvm && $0.value.frame == f }.keys.sorted()
        for key in keys { unmap(holder: .kvm, ref: key.page) }
        let names = keys.map { name(of: $0.page) }.joined(separator: ", ")
        raise(Outcome(kind: .pscWaited, page: page, gfn: g, frame: geometry.pfn(f),
                      reason: "post-map guard (patch 39/45): the RMPUPDATE of pfn \(pfnText(f)) to private waited (synchronize_srcu_expedited()) until KVM unmapped \(names)"))
    }

    // MARK: - Guest operations

    mutating func pvalidate(slot s: Int32, on: Bool, fromPSC: Bool) {
        let g = gfn(s)
        // PVALIDATE is a private access: it needs the page mapped private, as a C=1 load would.
        guard let f = guestFrame(slot: s, cbit: .private, what: "PVALIDATE of gfn \(hex(g))") else { return }
        let frame = frames[Int(f)]
        guard isAssignedToGuest(frame, gfn: g) else {
            raise(Outcome(kind: .guestNPF, page: name(s), gfn: g, frame: geometry.pfn(f),
                          reason: "PVALIDATE of gfn \(hex(g)): RMP entry of pfn \(pfnText(f)) is not assigned to ASID \(config.asid) at this gfn: #NPF (RMP)"))
            return
        }
        guard frame.validated != on else {
            raise(Outcome(kind: .pvalidateNoupdate, page: name(s), gfn: g, frame: geometry.pfn(f),
                          reason: "PVALIDATE \(on ? "on" : "off") of gfn \(hex(g))\(fromPSC ? " before the PSC" : "") changed nothing (CF=1, PVALIDATE_FAIL_NOUPDATE)"))
            return
        }
        updateFrame(f) { $0.validated = on }
    }

    mutating func guestAccess(slot s: Int32, write: Bool, cbit: MemoryKind?) {
        let g = gfn(s)
        let c = cbit ?? pages[Int(s)].guestView
        let what = "guest \(c == .private ? "private (C=1)" : "shared (C=0)") \(write ? "write" : "read") of gfn \(hex(g))"
        guard let f = guestFrame(slot: s, cbit: c, what: what) else { return }
        let frame = frames[Int(f)]
        if c == .private {
            guard isAssignedToGuest(frame, gfn: g) else {
                raise(Outcome(kind: .guestNPF, page: name(s), gfn: g, frame: geometry.pfn(f),
                              reason: "\(what): pfn \(pfnText(f)) is not assigned to ASID \(config.asid) at this gfn: #NPF with the RMP bit"))
                return
            }
            guard frame.validated else {
                raise(Outcome(kind: .guestVC, page: name(s), gfn: g, frame: geometry.pfn(f),
                              reason: "\(what): pfn \(pfnText(f)) is assigned but not validated: #VC in the guest"))
                return
            }
        } else if frame.assigned {
            raise(Outcome(kind: .guestNPF, page: name(s), gfn: g, frame: geometry.pfn(f),
                          reason: "\(what): pfn \(pfnText(f)) is assigned in the RMP: #NPF with the RMP bit"))
        }
    }

    /// The frame a guest access reaches (memory-model.md, Guest access rules 1–3), or nil when the
    /// access does not happen. Rule 4, the RMP check, is the caller's.
    mutating func guestFrame(slot s: Int32, cbit c: MemoryKind, what: String) -> Int32? {
        let mode = config.effectiveImplicitConversion
        let attribute = pages[Int(s)].attribute
        func exitToVMM() -> Int32? {
            let flag = c == .private ? " with KVM_MEMORY_EXIT_FLAG_PRIVATE" : ""
            raise(Outcome(kind: .memoryFaultExit, page: name(s), gfn: gfn(s),
                          reason: "\(what): the attribute is \(attribute.rawValue): KVM_EXIT_MEMORY_FAULT\(flag) to the VMM, the access does not happen"))
            return nil
        }
        if mode == .exit, c != attribute { return exitToVMM() }
        if pages[Int(s)].npt == nil {
            if mode != .inPlace, c != attribute { return exitToVMM() }
            faultIn(slot: s)
        }
        guard let f = pages[Int(s)].npt?.frame else { return nil }
        guard mode == .inPlace else { return f }
        let frame = frames[Int(f)]
        let disagrees = c == .private ? !frame.assigned : isAssignedToGuest(frame, gfn: gfn(s))
        guard disagrees else { return f }
        // v5's #NPF handler converts the frame to the C-bit's kind, as `kvm rmpupdate` does.
        guard kvmRMPUpdate(slot: s, kind: c), let converted = pages[Int(s)].npt?.frame else {
            raise(Outcome(kind: .guestNPF, page: name(s), gfn: gfn(s), frame: geometry.pfn(f),
                          reason: "\(what): #NPF; KVM's in-place conversion of pfn \(pfnText(f)) to \(c.rawValue) did not happen, so the access does not either"))
            return nil
        }
        raise(Outcome(kind: .implicitConversion, page: name(s), gfn: gfn(s), frame: geometry.pfn(converted),
                      reason: "\(what): #NPF; KVM converted pfn \(pfnText(converted)) to \(c.rawValue) in place (RMPUPDATE) and retried (SNP host patches v5)"))
        return converted
    }

    /// The RMP check of a private guest access: assigned, to this guest's ASID, at this gfn.
    func isAssignedToGuest(_ frame: FrameState, gfn g: Int) -> Bool {
        frame.assigned && Int(frame.asid) == config.asid && frame.rmpGFN == g
    }

    // MARK: - KVM operations

    mutating func faultIn(slot s: Int32) {
        let g = gfn(s)
        let kind = pages[Int(s)].attribute
        guard config.upm else {
            guard let f = fillHole(slot: s, side: .shared) else { return }
            updatePage(s) { $0.npt = NPTEntry(frame: f, kind: kind) }
            return
        }
        guard let f = fillHole(slot: s, side: kind) else { return }
        if kind == .private, !frames[Int(f)].assigned {
            // sev_gmem_prepare(): the frame becomes private when KVM first maps it. If that
            // RMPUPDATE is refused or fails, KVM maps nothing.
            guard rmpupdate(f, to: .private, gfn: g, slot: s, page: name(s)) else {
                updatePage(s) { $0.npt = nil }
                return
            }
        }
        updatePage(s) { $0.npt = NPTEntry(frame: f, kind: kind) }
    }

    @discardableResult
    mutating func kvmRMPUpdate(slot s: Int32, kind: MemoryKind) -> Bool {
        let side: MemoryKind = config.upm ? kind : .shared
        guard let f = fillHole(slot: s, side: side) else { return false }
        guard rmpupdate(f, to: kind, gfn: gfn(s), slot: s, page: name(s)) else { return false }
        updatePage(s) {
            $0.attribute = kind
            $0.npt = NPTEntry(frame: f, kind: kind)
        }
        return true
    }

    mutating func resume() {
        var firstFailed: (slot: Int32, request: PendingRequest)?
        for rank in 0..<geometry.slotCount {
            let s = Int32(geometry.slot(atGFNRank: rank))
            guard let req = pages[Int(s)].pending else { continue }
            let failed = req.willFail
            if failed, firstFailed == nil { firstFailed = (s, req) }
            updatePage(s) {
                if !failed { $0.guestView = req.kind }
                $0.pending = nil
            }
        }
        guard config.pscTerminates, let (s, req) = firstFailed else { return }
        let why = req.refused ? "the VMM refused it" : "its RMPUPDATE did not happen"
        raise(Outcome(kind: .guestTerminated, page: name(s), gfn: gfn(s),
                      reason: "the Page State Change of gfn \(hex(gfn(s))) to \(req.kind.rawValue) failed (\(why)): the guest asks to be terminated (GHCB_TERM_PSC); the VMM sees KVM_EXIT_SYSTEM_EVENT (SEV_TERM)"))
    }

    // MARK: - VMM operations

    mutating func setAttribute(slot s: Int32, kind: MemoryKind) {
        updatePage(s) {
            $0.attribute = kind
            if let e = $0.npt, e.kind != kind { $0.npt = nil }
        }
    }

    mutating func discard(slot s: Int32, side: MemoryKind) {
        let f = pages[Int(s)].frame(in: side)
        guard f >= 0 else { return }
        let g = gfn(s)
        updatePage(s) {
            if side == .private { $0.privateFrame = -1 } else { $0.sharedFrame = -1 }
            if $0.npt?.frame == f { $0.npt = nil }
        }
        if frames[Int(f)].assigned, !rmpupdate(f, to: .shared, gfn: g, slot: s, page: name(s)) {
            // A frame that cannot be made shared again must never be handed out: leak it.
            orphan(f, slot: s)
            return
        }
        if frames[Int(f)].pins > 0 { orphan(f, slot: s) } else { release(f) }
    }

    mutating func orphan(_ f: Int32, slot s: Int32) {
        let g = gfn(s)
        updateFrame(f) { $0.owner = .orphan(gfn: g) }
        updatePage(s) { $0.orphans += 1 }
    }

    mutating func vmmAccess(slot s: Int32, write: Bool) {
        guard let f = fillHole(slot: s, side: .shared) else { return }
        guard frames[Int(f)].assigned else { return }
        let g = gfn(s)
        if write {
            raise(Outcome(kind: .sigbus, page: name(s), gfn: g, frame: geometry.pfn(f),
                          reason: "the VMM wrote gfn \(hex(g)) through its mapping: pfn \(pfnText(f)) is guest-owned, RMP #PF in user mode: SIGBUS"))
        } else {
            raise(Outcome(kind: .ciphertextRead, page: name(s), gfn: g, frame: geometry.pfn(f),
                          reason: "the VMM read gfn \(hex(g)): pfn \(pfnText(f)) is guest-owned; reads are not RMP-checked and return ciphertext"))
        }
    }
}
