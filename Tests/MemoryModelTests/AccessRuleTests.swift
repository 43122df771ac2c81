import MemoryModel
import Testing
import TestSupport

/// memory-model.md, Access rules: kernel, uaccess, VMM and guest.
@Suite struct AccessRuleTests {
    static let capturingVias: [Via] = [.kmap, .pin, .pageAddress]

    // MARK: kernel rule 1 and 2: faults

    /// Without UPM a private page's frame is the shared fd's: what kernel code maps.
    @Test(arguments: Holder.allCases, capturingVias)
    func notPresentFrameIsAKernelModePanic(holder: Holder, via: Via) throws {
        for write in [false, true] {
            var t = Harness([decl("p", 0x10, .private)], ["upm off"])
            #expect(t.run("\(holder.rawValue) map p via=\(via.rawValue)").isEmpty)
            let o = t.run("\(holder.rawValue) \(write ? "write" : "read") p")
            #expect(t.kinds(o) == [.hostPanic])
            let p = try #require(o.first)
            #expect(p.severity == .fatal)
            #expect(p.page == "p" && p.gfn == 0x10 && p.frame == 0x100)
            let fault = try #require(p.fault)
            #expect(fault.kind == .notPresent)
            #expect(fault.write == write)
            #expect(fault.holder == holder)
            #expect(fault.via == via)
            #expect(fault.frame == 0x100)
            #expect(p.reason.contains("not-present"))
            #expect(p.reason.contains("kernel mode") || p.reason.contains("kernel-mode"))
            #expect(p.reason.contains("0x100"))
            #expect(p.reason.contains(holder.rawValue))
            #expect(p.reason.contains(via.rawValue))
            #expect(t.frame(pfn: 0x100).assigned)
        }
    }

    @Test(arguments: capturingVias)
    func writeToAPresentAssignedFrameIsAnRMPViolation(via: Via) throws {
        var t = Harness([decl("p", 0x10, .private)], ["upm off", "directmap-unmap off"])
        t.run("kvm map p via=\(via.rawValue)")
        let o = t.run("kvm write p")
        #expect(t.kinds(o) == [.hostPanic])
        let p = try #require(o.first)
        #expect(p.fault?.kind == .rmpViolation)
        #expect(p.fault?.write == true)
        #expect(p.reason.contains("RMP violation"))
        #expect(p.reason.contains("kvm") && p.reason.contains(via.rawValue) && p.reason.contains("0x100"))
    }

    @Test(arguments: capturingVias)
    func readOfAPresentAssignedFrameIsACiphertextRead(via: Via) throws {
        var t = Harness([decl("p", 0x10, .private)], ["upm off", "directmap-unmap off"])
        t.run("host map p via=\(via.rawValue)")
        let o = t.run("host read p")
        #expect(t.kinds(o) == [.ciphertextRead])
        #expect(o.first?.severity == .info)
        #expect(o.first?.frame == 0x100)
        #expect(o.first?.page == "p")
    }

    @Test(arguments: ["on", "off"])
    func panicOnOopsOffGivesAnOops(directmapUnmap: String) throws {
        var t = Harness([decl("p", 0x10, .private)], ["upm off", "panic-on-oops off", "directmap-unmap \(directmapUnmap)"])
        t.run("kvm map p via=kmap")
        let o = t.run("kvm write p")
        #expect(t.kinds(o) == [.oops])
        #expect(o.first?.severity == .fatal)
        #expect(o.first?.fault?.kind == (directmapUnmap == "on" ? .notPresent : .rmpViolation))
    }

    @Test(arguments: ["on", "off"], ["read", "write"])
    func pfFixupFlipsTheFrameSharedAndRetries(directmapUnmap: String, access: String) throws {
        var t = Harness([decl("p", 0x10, .private)],
                        ["upm off", "pf-fixup flip-shared", "directmap-unmap \(directmapUnmap)"])
        t.run("kvm map p via=kmap")
        let o = t.run("kvm \(access) p")
        if directmapUnmap == "off" && access == "read" {
            // No fault at all: a read of a present frame is not RMP-checked.
            #expect(t.kinds(o) == [.ciphertextRead])
            #expect(t.frame(pfn: 0x100).assigned)
            return
        }
        #expect(t.kinds(o) == [.pfFixup])
        let r = try #require(o.first)
        #expect(r.severity == .warning)
        #expect(r.page == "p" && r.frame == 0x100)
        let f = t.frame(pfn: 0x100)
        #expect(!f.assigned && !f.validated && f.present)
        #expect(!t.stopped)
    }

    @Test func pfFixupWhoseRMPUpdateFailsIsAPanicNotAFixup() {
        var t = Harness([decl("p", 0x10, .private)], ["upm off", "pf-fixup flip-shared", "rmpupdate fail"])
        t.run("kvm map p via=kmap")
        let o = t.run("kvm write p")
        // The frame could not be made shared: no fixup happened, the fault has none.
        #expect(t.kinds(o).contains(.hostPanic))
        #expect(!t.kinds(o).contains(.pfFixup))
        #expect(t.frame(pfn: 0x100).assigned)
    }

    // MARK: kernel rule 3: no fault

    @Test(arguments: ["read", "write"])
    func accessToAFreedFrameIsUseAfterFree(access: String) throws {
        var t = Harness([decl("p", 0x10, .shared)])
        t.run(["kvm map p via=kmap", "vmm discard p shared"])
        #expect(t.frame(pfn: 0x100).owner == .free)
        let o = t.run("kvm \(access) p")
        #expect(t.kinds(o) == [.useAfterFree])
        let r = try #require(o.first)
        #expect(r.severity == .error)
        #expect(r.page == "p" && r.gfn == 0x10 && r.frame == 0x100)
    }

    @Test func writeToAnOrphanOfTheMappedPageIsALostWrite() throws {
        var t = Harness([decl("p", 0x10, .shared)])
        t.run(["host map p via=pin", "vmm discard p shared"])
        #expect(t.run("host read p").isEmpty)
        let o = t.run("host write p")
        #expect(t.kinds(o) == [.lostWrite])
        let r = try #require(o.first)
        #expect(r.severity == .warning)
        #expect(r.page == "p" && r.frame == 0x100)
    }

    @Test func writeToAFrameGivenToAnotherOwnerIsUseAfterFree() throws {
        var t = Harness([decl("p", 0x10, .shared)])
        t.run(["kvm map p via=page_address", "vmm discard p shared", "host alloc obj"])
        #expect(t.frame(pfn: 0x100).owner == .kernel(0))
        #expect(t.run("kvm read p").isEmpty)
        let o = t.run("kvm write p")
        #expect(t.kinds(o) == [.useAfterFree])
        #expect(o.first?.frame == 0x100)
        #expect(o.first?.page == "p")
    }

    @Test func writeToTheSameFrameInTheSameFileIsFine() {
        var t = Harness([decl("p", 0x10, .shared)])
        t.run(["kvm map p via=kmap", "host map p via=pin"])
        #expect(t.run(["kvm write p", "kvm read p", "host write p", "host read p"]).isEmpty)
    }

    /// The thread's bug: a stale kmap of a frame the guest now owns through another gfn.
    @Test func staleKmapOfAFrameReusedAsPrivateMemory() throws {
        var t = Harness([decl("ghcb", 0x10, .shared), decl("heap", 0x30, .unbacked)], ["discard-on-convert on"])
        t.run(["kvm map ghcb via=kmap", "vmm convert ghcb private", "vmm convert heap private"])
        #expect(t.privatePFN("heap") == 0x100)
        t.run("kvm fault-in heap")
        #expect(t.frame(pfn: 0x100).assigned)
        let o = t.run("kvm write ghcb")
        #expect(t.kinds(o) == [.hostPanic])
        #expect(o.first?.fault?.kind == .notPresent)
        #expect(o.first?.page == "ghcb")
        #expect(o.first?.gfn == 0x10)
        #expect(o.first?.frame == 0x100)
    }

    @Test func pfFixupOnAStaleKmapNamesTheAccessedPageThenUseAfterFree() throws {
        var t = Harness([decl("ghcb", 0x10, .shared), decl("heap", 0x30, .unbacked)],
                        ["discard-on-convert on", "pf-fixup flip-shared"])
        t.run(["kvm map ghcb via=kmap", "vmm convert ghcb private", "vmm convert heap private", "kvm fault-in heap"])
        let o = t.run("kvm write ghcb")
        #expect(t.kinds(o) == [.pfFixup, .useAfterFree])
        for r in o {
            #expect(r.page == "ghcb")
            #expect(r.gfn == 0x10)
            #expect(r.frame == 0x100)
        }
        #expect(!t.frame(pfn: 0x100).assigned)
        // The guest's private access to heap now fails the RMP check.
        #expect(t.kinds(t.run("guest read heap private")) == [.guestNPF])
    }

    // MARK: uaccess

    @Test(arguments: ["kvm map p via=uaccess", nil] as [String?], ["on", "off"])
    func uaccessWriteToAnAssignedFrameIsEfaultNeverAPanic(map: String?, panicOnOops: String) throws {
        var t = Harness([decl("p", 0x10, .private)], ["upm off", "panic-on-oops \(panicOnOops)"])
        if let map { t.run(map) }
        let o = t.run("kvm write p")
        #expect(t.kinds(o) == [.efault])
        let r = try #require(o.first)
        #expect(r.severity == .info)
        #expect(r.page == "p" && r.frame == 0x100)
        #expect(!t.stopped)
        #expect(t.frame(pfn: 0x100).assigned)
        #expect(t.kinds(t.run("kvm read p")) == [.ciphertextRead])
        #expect(t.kinds(t.run("host write p")) == [.efault])
    }

    @Test func uaccessLooksTheFrameUpAtEachAccess() {
        var t = Harness([decl("p", 0x10, .shared), decl("u", 0x20, .unbacked)])
        t.run(["kvm map p via=uaccess", "vmm discard p shared"])
        // No stale frame: the hole is filled and the access goes to the new frame, no use-after-free.
        #expect(t.run("kvm write p").isEmpty)
        #expect(t.sharedPFN("p") == 0x100)
        #expect(t.frame(pfn: 0x100).owner == .sharedFD(gfn: 0x10))
    }

    // MARK: VMM

    @Test func vmmWriteToAnAssignedFrameIsSigbusAndReadIsCiphertext() throws {
        var t = Harness([decl("p", 0x10, .private), decl("s", 0x20, .shared)], ["upm off"])
        let w = t.run("vmm write p")
        #expect(t.kinds(w) == [.sigbus])
        #expect(w.first?.severity == .warning)
        #expect(w.first?.page == "p" && w.first?.frame == 0x100 && w.first?.gfn == 0x10)
        let r = t.run("vmm read p")
        #expect(t.kinds(r) == [.ciphertextRead])
        #expect(r.first?.frame == 0x100)
        #expect(t.run(["vmm write s", "vmm read s"]).isEmpty)
        #expect(!t.stopped)
    }

    // MARK: guest

    @Test func guestAccessesWithAnNPTEntry() throws {
        var t = Harness([decl("p", 0x10, .private), decl("s", 0x20, .shared)])
        #expect(t.run(["guest read p", "guest write p", "guest read s", "guest write s"]).isEmpty)
        // Shared C-bit to an assigned frame, private C-bit to an unassigned one: #NPF.
        let a = t.run("guest read p shared")
        #expect(t.kinds(a) == [.guestNPF])
        #expect(a.first?.frame == 0x100 && a.first?.gfn == 0x10 && a.first?.page == "p")
        let b = t.run("guest write s private")
        #expect(t.kinds(b) == [.guestNPF])
        #expect(b.first?.frame == 0x101)
        // Not validated: #VC.
        t.run("guest pvalidate p off")
        let c = t.run("guest write p")
        #expect(t.kinds(c) == [.guestVC])
        #expect(c.first?.severity == .warning)
        #expect(c.first?.frame == 0x100)
    }

    @Test func guestPrivateAccessToAFrameAssignedElsewhereIsGuestNPF() {
        // p's NPT entry still maps 0x100 private, but the pf-fixup made the frame shared.
        var t = Harness([decl("p", 0x10, .private)], ["upm off", "pf-fixup flip-shared"])
        t.run(["kvm map p via=kmap", "kvm write p"])
        #expect(t.kinds(t.run("guest read p")) == [.guestNPF])
        #expect(t.run("guest read p shared").isEmpty)
    }

    @Test func guestAccessWithNoNPTEntry() throws {
        var t = Harness([decl("u", 0x20, .unbacked), decl("v", 0x21, .unbacked)])
        let m = t.run("guest write u private")
        #expect(t.kinds(m) == [.memoryFaultExit])
        #expect(m.first?.severity == .info)
        #expect(m.first?.page == "u" && m.first?.gfn == 0x20)
        #expect(t.world.watermark == 0)
        #expect(t.page("u").npt == nil)
        // C-bit agrees with the attribute: KVM faults the page in and the access goes on.
        #expect(t.run("guest write u").isEmpty)
        #expect(t.sharedPFN("u") == 0x100)
        #expect(t.nptKind("u") == .shared)
        // Private attribute, guest view still shared: memory-fault-exit; with C=1, fault-in then #VC.
        t.run("vmm set-attr v private")
        #expect(t.kinds(t.run("guest read v")) == [.memoryFaultExit])
        #expect(t.world.watermark == 1)
        let vc = t.run("guest read v private")
        #expect(t.kinds(vc) == [.guestVC])
        #expect(t.privatePFN("v") == 0x101)
        #expect(t.nptKind("v") == .private)
        #expect(vc.first?.frame == 0x101)
        #expect(t.frame(pfn: 0x101).assigned)
    }

    @Test func guestAccessWithoutUPMFaultsInTheSharedFD() {
        var t = Harness([decl("u", 0x20, .unbacked)], ["upm off"])
        #expect(t.run("guest write u").isEmpty)
        #expect(t.sharedPFN("u") == 0x100)
        #expect(t.nptPFN("u") == 0x100)
        #expect(!t.frame(pfn: 0x100).assigned)
    }
}
