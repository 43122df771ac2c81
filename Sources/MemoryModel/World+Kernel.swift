extension World {
    /// The name of a page argument after resolution: "ghcb", "buf[2]" or a kernel object's name.
    public func name(of ref: PageRef) -> String {
        switch ref {
        case .guest(let s): geometry.name(ofSlot: s)
        case .kernel(let k): k < kernelObjects.count ? kernelObjects[k].name : "kernel#\(k)"
        }
    }

    func gfn(of ref: PageRef) -> Int? {
        if case .guest(let s) = ref { return geometry.gfn(ofSlot: s) }
        return nil
    }

    /// The frame kernel code reaches for a page through its user address or its own allocation.
    mutating func lookUpFrame(_ ref: PageRef) -> Int32? {
        switch ref {
        case .guest(let s): fillHole(slot: Int32(s), side: .shared)
        case .kernel(let k): k < kernelObjects.count ? kernelObjects[k].frame : nil
        }
    }

    // MARK: - map and unmap

    mutating func map(holder: Holder, ref: PageRef, via: Via) {
        let key = MappingKey(holder: holder, page: ref)
        if mappings[key] != nil { unmap(holder: holder, ref: ref) }
        guard via != .uaccess else {
            setMapping(key, Mapping(via: .uaccess, frame: -1, ownerAtMap: .free))
            return
        }
        guard let f = lookUpFrame(ref) else { return }
        if holder == .kvm, config.postMapGuard, frames[Int(f)].assigned {
            raise(Outcome(kind: .mapRefused, page: name(of: ref), gfn: gfn(of: ref), frame: geometry.pfn(f),
                          reason: "sev_post_map_gfn() (patch 39/45) refused KVM's \(via.rawValue) of pfn \(pfnText(f)): it is assigned in the RMP; the map fails with -EBUSY and KVM has no mapping of \(name(of: ref))"))
            return
        }
        if via.isTracked, config.kmapGuard, frames[Int(f)].assigned {
            // kmap() cannot fail, so the guard must make the frame shared before mapping it.
            let g = frames[Int(f)].rmpGFN
            let slot = ref.slot
            guard rmpupdate(f, to: .shared, gfn: g, slot: slot, page: name(of: ref)) else {
                // Not an oops that panic_on_oops could soften: kmap() has no error path at all.
                raise(Outcome(
                    kind: .hostPanic, page: name(of: ref), gfn: gfn(of: ref),
                    frame: geometry.pfn(f),
                    reason: "\(holder.rawValue): \(via.rawValue)() of pfn \(pfnText(f)) cannot fail, but RMPUPDATE to shared returned FAIL_INUSE: the page stays guest-owned and the map cannot go on (illustration: the guard was never written, so no kernel has this path)"))
                return
            }
            raise(Outcome(kind: .guardFlip, page: name(of: ref), gfn: gfn(of: ref), frame: geometry.pfn(f),
                          reason: "the guard made pfn \(pfnText(f)) shared (RMPUPDATE, direct map restored) so that \(holder.rawValue) can \(via.rawValue) it; the guest loses the page's contents"))
        }
        updateFrame(f) {
            if via == .pin { $0.pins += 1 }
            if via.isTracked { $0.trackedMappings += 1 }
            if holder == .kvm { $0.kvmMappings += 1 }
        }
        setMapping(key, Mapping(via: via, frame: f, ownerAtMap: frames[Int(f)].owner))
    }

    mutating func unmap(holder: Holder, ref: PageRef) {
        let key = MappingKey(holder: holder, page: ref)
        guard let m = mappings[key] else { return }
        setMapping(key, nil)
        guard m.frame >= 0 else { return }
        let f = m.frame
        updateFrame(f) {
            if m.via.isTracked { $0.trackedMappings = max(0, $0.trackedMappings - 1) }
            if m.via == .pin { $0.pins = max(0, $0.pins - 1) }
            if holder == .kvm { $0.kvmMappings = max(0, $0.kvmMappings - 1) }
        }
        guard m.via == .pin else { return }
        let frame = frames[Int(f)]
        if case .orphan(let g) = frame.owner, frame.pins == 0, !frame.assigned {
            if let s = geometry.slot(ofGFN: g) { updatePage(Int32(s)) { $0.orphans = max(0, $0.orphans - 1) } }
            release(f)
        }
    }

    // MARK: - Kernel access (memory-model.md, Access rules)

    mutating func kernelAccess(holder: Holder, ref: PageRef, write: Bool) {
        let key = MappingKey(holder: holder, page: ref)
        let mapping = mappings[key]
        if case .kernel = ref, mapping == nil {
            // Other kernel code reaches its own page through the direct map.
            guard let f = lookUpFrame(ref) else { return }
            let m = Mapping(via: .pageAddress, frame: f, ownerAtMap: frames[Int(f)].owner)
            kernelAccess(through: m, holder: holder, ref: ref, write: write)
            return
        }
        guard let mapping, mapping.via != .uaccess else {
            userAccess(holder: holder, ref: ref, write: write)
            return
        }
        kernelAccess(through: mapping, holder: holder, ref: ref, write: write)
    }

    /// copy_to_user/copy_from_user through the user address: a fault here has an extable fixup.
    mutating func userAccess(holder: Holder, ref: PageRef, write: Bool) {
        guard let f = lookUpFrame(ref), frames[Int(f)].assigned else { return }
        let page = name(of: ref)
        if write {
            raise(Outcome(kind: .efault, page: page, gfn: gfn(of: ref), frame: geometry.pfn(f),
                          reason: "\(holder.rawValue): copy_to_user() to \(page)'s user address hit an RMP #PF on pfn \(pfnText(f)); the exception-table fixup returns -EFAULT"))
        } else {
            raise(Outcome(kind: .ciphertextRead, page: page, gfn: gfn(of: ref), frame: geometry.pfn(f),
                          reason: "\(holder.rawValue): copy_from_user() of \(page) read guest-owned pfn \(pfnText(f)): reads are not RMP-checked, it gets ciphertext"))
        }
    }

    mutating func kernelAccess(through m: Mapping, holder: Holder, ref: PageRef, write: Bool) {
        let f = m.frame
        let page = name(of: ref)
        let access = write ? "write" : "read"
        var fixedUp = false
        while true {
            let frame = frames[Int(f)]
            let fault: FaultKind? = !frame.present ? .notPresent : (frame.assigned && write ? .rmpViolation : nil)
            guard let fault else { break }
            if frame.assigned, config.pfFixup, !fixedUp {
                fixedUp = true
                // The interim idea in the thread: flip the frame to shared in the #PF handler and retry.
                // If that RMPUPDATE fails there is no fixup after all: the fault stands.
                guard rmpupdateForFixup(f) else { continue }
                raise(Outcome(kind: .pfFixup, page: page, gfn: gfn(of: ref), frame: geometry.pfn(f),
                              reason: "#PF (\(fault.rawValue)) on pfn \(pfnText(f)) in kernel mode: the fault handler made it shared and retried the \(access); the guest's copy is gone"))
                continue
            }
            let info = FaultInfo(kind: fault, write: write, holder: holder, via: m.via, frame: geometry.pfn(f))
            let end = config.panicOnOops ? "Kernel panic - not syncing: Fatal exception" : "oops: the task is killed, the host lives"
            raise(Outcome(
                kind: config.panicOnOops ? .hostPanic : .oops, page: page, gfn: gfn(of: ref), frame: geometry.pfn(f),
                reason: "#PF: supervisor \(access) access in kernel mode, \(fault.rawValue), pfn \(pfnText(f)), \(holder.rawValue) mapped \(page) via \(m.via.rawValue): no exception-table fixup; \(end)",
                fault: info))
            return
        }
        let frame = frames[Int(f)]
        if frame.assigned {
            raise(Outcome(kind: .ciphertextRead, page: page, gfn: gfn(of: ref), frame: geometry.pfn(f),
                          reason: "\(holder.rawValue) read guest-owned pfn \(pfnText(f)) through its \(m.via.rawValue) mapping: no fault for reads, it gets ciphertext"))
        }
        if frame.owner == .free {
            raise(Outcome(kind: .useAfterFree, page: page, gfn: gfn(of: ref), frame: geometry.pfn(f),
                          reason: "\(holder.rawValue) \(access) through its \(m.via.rawValue) mapping of \(page): pfn \(pfnText(f)) was freed"))
        } else if case .orphan(let g) = frame.owner, g == gfn(of: ref) {
            if write {
                raise(Outcome(kind: .lostWrite, page: page, gfn: g, frame: geometry.pfn(f),
                              reason: "\(holder.rawValue) wrote pfn \(pfnText(f)), which \(page)'s file no longer holds: the guest never sees the write"))
            }
        } else if frame.owner != m.ownerAtMap, write {
            raise(Outcome(kind: .useAfterFree, page: page, gfn: gfn(of: ref), frame: geometry.pfn(f),
                          reason: "\(holder.rawValue) wrote through its stale \(m.via.rawValue) mapping of \(page): pfn \(pfnText(f)) now belongs to \(ownerText(frame.owner))"))
        }
    }

    /// The fixup's RMPUPDATE to shared: it ignores the guard (it unassigns) but not `rmpupdate fail`.
    mutating func rmpupdateForFixup(_ f: Int32) -> Bool {
        let g = frames[Int(f)].rmpGFN
        let slot = geometry.slot(ofGFN: g).map(Int32.init)
        return rmpupdate(f, to: .shared, gfn: g, slot: slot, page: slot.map { name($0) } ?? pfnText(f))
    }

    /// Who owns a frame, in words.
    public func ownerText(_ o: FrameOwner) -> String {
        switch o {
        case .free: "the free list"
        case .sharedFD(let g): "the shared fd at gfn \(hex(g))"
        case .privateFD(let g): "the private fd at gfn \(hex(g))"
        case .orphan(let g): "nobody (orphan of gfn \(hex(g)))"
        case .kernel(let k): "kernel object \(k < kernelObjects.count ? kernelObjects[k].name : "#\(k)")"
        }
    }
}

extension PageRef {
    var slot: Int32? {
        if case .guest(let s) = self { return Int32(s) }
        return nil
    }
}
