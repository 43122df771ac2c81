import MemoryModel
import Testing
import TestSupport

/// memory-model.md, Operations: one test (or a few) per row of the table.
@Suite struct OperationTests {
    // MARK: guest psc

    @Test func pscPrivateRecordsRequestsPageByPageThenOneVMGEXIT() {
        var t = Harness([decl("p", 0x10, .shared, count: 2)])
        let s0 = Int32(t.slot("p", 0)), s1 = Int32(t.slot("p", 1))
        #expect(t.actions(of: "guest psc p private") ==
                [.pscRecord(slot: s0, .private), .pscRecord(slot: s1, .private), .vmgexit(pages: 2)])
        let frames = t.world.frames
        #expect(t.run("guest psc p private").isEmpty)
        for i in 0...1 {
            #expect(t.page("p", i).pending?.kind == .private)
            #expect(t.page("p", i).pending?.forwarded == false)
            #expect(t.page("p", i).pending?.failed == false)
            #expect(t.page("p", i).guestView == .shared)
            #expect(t.page("p", i).attribute == .shared)
        }
        #expect(t.world.frames == frames)
    }

    @Test func pscSharedPValidatesOffFirst() {
        var t = Harness([decl("p", 0x10, .private, count: 2)])
        let s0 = Int32(t.slot("p", 0)), s1 = Int32(t.slot("p", 1))
        #expect(t.actions(of: "guest psc p shared") ==
                [.pscUnvalidate(slot: s0), .pscRecord(slot: s0, .shared),
                 .pscUnvalidate(slot: s1), .pscRecord(slot: s1, .shared), .vmgexit(pages: 2)])
        #expect(t.run("guest psc p shared").isEmpty)
        for i in 0...1 {
            let f = t.frame(pfn: 0x100 + i)
            #expect(!f.validated)
            #expect(f.assigned)
            #expect(t.page("p", i).pending?.kind == .shared)
            #expect(t.page("p", i).guestView == .private)
        }
    }

    @Test func pscSharedOfAnUnvalidatedPageChangesNothing() {
        var t = Harness([decl("p", 0x10, .private)])
        t.run("guest pvalidate p off")
        let o = t.run("guest psc p shared")
        #expect(t.kinds(o) == [.pvalidateNoupdate])
        #expect(o.first?.frame == 0x100)
        #expect(t.page("p").pending?.kind == .shared)
    }

    @Test func pscRunsInGFNOrder() {
        // Declared out of gfn order: the actions of one range still go page by page.
        var t = Harness([decl("p", 0x40, .shared, count: 3)])
        let slots = (0...2).map { Int32(t.slot("p", $0)) }
        #expect(t.actions(of: "guest psc p private").compactMap(\.slot) == slots)
        t.run("guest psc p[1] private")
        #expect(t.page("p", 0).pending == nil)
        #expect(t.page("p", 1).pending != nil)
    }

    // MARK: guest pvalidate

    @Test func pvalidateSetsValidatedOfTheAssignedFrame() {
        var t = Harness([decl("p", 0x10, .private)])
        #expect(t.run("guest pvalidate p off").isEmpty)
        #expect(!t.frame(pfn: 0x100).validated)
        #expect(t.run("guest pvalidate p on").isEmpty)
        #expect(t.frame(pfn: 0x100).validated)
        let o = t.run("guest pvalidate p on")
        #expect(t.kinds(o) == [.pvalidateNoupdate])
        #expect(o.first?.severity == .info)
        #expect(o.first?.page == "p")
        #expect(o.first?.gfn == 0x10)
        #expect(o.first?.frame == 0x100)
    }

    @Test func pvalidateOfAnUnassignedFrameIsGuestNPF() {
        var t = Harness([decl("p", 0x10, .shared)])
        let o = t.run("guest pvalidate p on")
        #expect(t.kinds(o) == [.guestNPF])
        #expect(o.first?.frame == 0x100)
        #expect(o.first?.gfn == 0x10)
        #expect(!t.frame(pfn: 0x100).validated)
        #expect(!t.frame(pfn: 0x100).assigned)
    }

    @Test func pvalidateWithNoNPTEntryFaultsThePageInAsPrivate() {
        var t = Harness([decl("u", 0x20, .unbacked)])
        t.run("vmm set-attr u private")
        #expect(t.run("guest pvalidate u on").isEmpty)
        #expect(t.privatePFN("u") == 0x100)
        #expect(t.nptPFN("u") == 0x100)
        #expect(t.nptKind("u") == .private)
        let f = t.frame(pfn: 0x100)
        #expect(f.owner == .privateFD(gfn: 0x20))
        #expect(f.assigned && f.asid == 1 && f.rmpGFN == 0x20)
        #expect(f.validated)
        #expect(!f.present)
    }

    @Test func pvalidateWithNoNPTEntryOfASharedAttributeIsAMemoryFaultExit() {
        var t = Harness([decl("u", 0x20, .unbacked)])
        let o = t.run("guest pvalidate u on")
        #expect(t.kinds(o) == [.memoryFaultExit])
        #expect(t.world.watermark == 0)
        #expect(t.page("u").npt == nil)
    }

    // MARK: kvm map / host map / unmap

    @Test(arguments: Holder.allCases, [Via.kmap, .pin, .pageAddress])
    func mapKeepsTheSharedFDFrame(holder: Holder, via: Via) throws {
        var t = Harness([decl("p", 0x10, .shared)])
        #expect(t.run("\(holder.rawValue) map p via=\(via.rawValue)").isEmpty)
        let m = try #require(t.mapping(holder, "p"))
        #expect(m.via == via)
        #expect(t.pfn(m.frame) == 0x100)
        #expect(m.ownerAtMap == .sharedFD(gfn: 0x10))
        #expect(t.frame(pfn: 0x100).pins == (via == .pin ? 1 : 0))
        #expect(t.mapping(holder == .kvm ? .host : .kvm, "p") == nil)
    }

    @Test func mapDefaultsToKmap() {
        var t = Harness([decl("p", 0x10, .shared)])
        t.run("kvm map p")
        #expect(t.mapping(.kvm, "p")?.via == .kmap)
    }

    @Test func mapViaUaccessKeepsNoFrame() throws {
        var t = Harness([decl("p", 0x10, .shared)])
        t.run("kvm map p via=uaccess")
        let m = try #require(t.mapping(.kvm, "p"))
        #expect(m.via == .uaccess)
        #expect(m.frame < 0)
        #expect(t.frame(pfn: 0x100).pins == 0)
    }

    @Test func mapFillsAHoleInTheSharedFD() throws {
        var t = Harness([decl("q", 0x30, .private), decl("u", 0x20, .unbacked)])
        t.run(["kvm map u via=kmap", "host map q via=pin"])
        #expect(t.sharedPFN("u") == 0x101)
        #expect(t.pfn(try #require(t.mapping(.kvm, "u")).frame) == 0x101)
        // Private with UPM: the user address is the shared fd, not the private frame.
        #expect(t.sharedPFN("q") == 0x102)
        #expect(t.privatePFN("q") == 0x100)
        #expect(t.pfn(try #require(t.mapping(.host, "q")).frame) == 0x102)
        #expect(t.frame(pfn: 0x102).pins == 1)
        #expect(t.frame(pfn: 0x100).pins == 0)
    }

    @Test func remapReplacesTheOldMappingAndReleasesItsPin() throws {
        var t = Harness([decl("p", 0x10, .shared)])
        t.run(["kvm map p via=pin", "kvm map p via=pin"])
        #expect(t.frame(pfn: 0x100).pins == 1)
        t.run("host map p via=pin")
        #expect(t.frame(pfn: 0x100).pins == 2)
        t.run("kvm map p via=kmap")
        #expect(t.frame(pfn: 0x100).pins == 1)
        #expect(t.mapping(.kvm, "p")?.via == .kmap)
        #expect(t.world.mappings.count == 2)
    }

    @Test func unmapDropsTheMappingAndReleasesAPin() {
        var t = Harness([decl("p", 0x10, .shared)])
        t.run(["kvm map p via=pin", "host map p via=kmap"])
        #expect(t.run("kvm unmap p").isEmpty)
        #expect(t.mapping(.kvm, "p") == nil)
        #expect(t.mapping(.host, "p") != nil)
        #expect(t.frame(pfn: 0x100).pins == 0)
        #expect(t.frame(pfn: 0x100).owner == .sharedFD(gfn: 0x10))
        t.run("host unmap p")
        #expect(t.world.mappings.isEmpty)
    }

    @Test func anOrphanIsFreedOnItsLastUnpin() {
        var t = Harness([decl("p", 0x10, .shared), decl("u", 0x20, .unbacked)])
        t.run(["kvm map p via=pin", "host map p via=pin"])
        #expect(t.run("vmm discard p shared").isEmpty)
        #expect(t.frame(pfn: 0x100).owner == .orphan(gfn: 0x10))
        #expect(t.frame(pfn: 0x100).pins == 2)
        #expect(t.page("p").orphans == 1)
        #expect(t.sharedPFN("p") == nil)
        #expect(t.page("p").npt == nil)
        t.run("kvm unmap p")
        #expect(t.frame(pfn: 0x100).owner == .orphan(gfn: 0x10))
        #expect(t.frame(pfn: 0x100).pins == 1)
        #expect(!t.freeFrames().contains(0))
        t.run("host unmap p")
        #expect(t.frame(pfn: 0x100).owner == .free)
        #expect(t.frame(pfn: 0x100).pins == 0)
        #expect(t.page("p").orphans == 0)
        #expect(t.freeFrames().contains(0))
        t.run("vmm alloc u shared")
        #expect(t.sharedPFN("u") == 0x100)
        #expect(t.brokenInvariants().isEmpty)
    }

    // MARK: kernel access with no mapping: the user address

    @Test func kernelAccessWithNoMappingGoesThroughTheUserAddress() {
        var t = Harness([decl("q", 0x30, .private)])
        // UPM: the user address is the shared fd; its hole is filled; the private frame is not touched.
        #expect(t.run("kvm write q").isEmpty)
        #expect(t.sharedPFN("q") == 0x101)
        #expect(t.frame(pfn: 0x101).owner == .sharedFD(gfn: 0x30))
    }

    // MARK: kvm exit

    @Test func kvmExitForwardsThePendingRequest() {
        var t = Harness([decl("p", 0x10, .shared), decl("q", 0x11, .shared)])
        t.run(["guest psc p private", "guest psc q private"])
        #expect(t.run("kvm exit p").isEmpty)
        #expect(t.page("p").pending?.kind == .private)
        #expect(t.page("p").pending?.forwarded == true)
        #expect(t.page("p").pending?.failed == false)
        #expect(t.page("q").pending?.forwarded == false)
    }

    // MARK: kvm fault-in

    @Test(arguments: [true, false])
    func faultInPrivateFillsThePrivateFDAndAssigns(unmap: Bool) {
        var t = Harness([decl("u", 0x20, .unbacked)], ["directmap-unmap \(unmap ? "on" : "off")", "asid 9"])
        t.run("vmm set-attr u private")
        #expect(t.run("kvm fault-in u").isEmpty)
        #expect(t.privatePFN("u") == 0x100)
        #expect(t.sharedPFN("u") == nil)
        #expect(t.nptPFN("u") == 0x100)
        #expect(t.nptKind("u") == .private)
        let f = t.frame(pfn: 0x100)
        #expect(f.owner == .privateFD(gfn: 0x20))
        #expect(f.assigned)
        #expect(f.asid == 9)
        #expect(f.rmpGFN == 0x20)
        #expect(!f.validated)
        #expect(f.present == !unmap)
    }

    @Test func faultInOfAnAssignedPrivateFrameDoesNoRMPUpdate() {
        // rmpupdate fail shows that no RMPUPDATE is attempted.
        var t = Harness([decl("p", 0x10, .private)], ["rmpupdate fail"])
        t.run(["vmm set-attr p shared", "vmm set-attr p private"])
        #expect(t.page("p").npt == nil)
        #expect(t.run("kvm fault-in p").isEmpty)
        #expect(t.nptPFN("p") == 0x100)
        #expect(t.nptKind("p") == .private)
        #expect(t.frame(pfn: 0x100).validated)
    }

    @Test func faultInSharedFillsTheSharedFD() {
        var t = Harness([decl("u", 0x20, .unbacked)])
        #expect(t.run("kvm fault-in u").isEmpty)
        #expect(t.sharedPFN("u") == 0x100)
        #expect(t.nptPFN("u") == 0x100)
        #expect(t.nptKind("u") == .shared)
        #expect(!t.frame(pfn: 0x100).assigned)
        #expect(t.frame(pfn: 0x100).present)
    }

    @Test func faultInWithoutUPMUsesTheSharedFDAndLeavesTheRMP() {
        var t = Harness([decl("p", 0x10, .private), decl("u", 0x20, .unbacked)], ["upm off"])
        // Discard makes the frame shared, frees it and removes the NPT entry; the attribute stays private.
        #expect(t.run("vmm discard p shared").isEmpty)
        #expect(t.page("p").npt == nil)
        #expect(t.page("p").attribute == .private)
        #expect(t.run("kvm fault-in p").isEmpty)
        #expect(t.sharedPFN("p") == 0x100)
        #expect(t.privatePFN("p") == nil)
        #expect(t.nptPFN("p") == 0x100)
        #expect(t.nptKind("p") == .private)
        #expect(!t.frame(pfn: 0x100).assigned)
        #expect(t.run("kvm fault-in u").isEmpty)
        #expect(t.sharedPFN("u") == 0x101)
        #expect(t.nptKind("u") == .shared)
    }

    @Test func faultInWhoseRMPUpdateFailsLeavesNoNPTEntry() throws {
        var t = Harness([decl("u", 0x20, .unbacked)], ["rmpupdate fail"])
        t.run("vmm set-attr u private")
        let o = t.run("kvm fault-in u")
        #expect(t.kinds(o) == [.rmpupdateFailed])
        #expect(t.page("u").npt == nil)
        let pfn = try #require(t.privatePFN("u"))
        #expect(o.first?.frame == pfn)
        #expect(!t.frame(pfn: pfn).assigned)
    }

    // MARK: kvm rmpupdate

    @Test(arguments: [true, false])
    func rmpupdatePrivateWithUPMUsesThePrivateFD(unmap: Bool) {
        var t = Harness([decl("u", 0x20, .unbacked)], ["directmap-unmap \(unmap ? "on" : "off")"])
        #expect(t.run("kvm rmpupdate u private").isEmpty)
        #expect(t.privatePFN("u") == 0x100)
        #expect(t.sharedPFN("u") == nil)
        let f = t.frame(pfn: 0x100)
        #expect(f.assigned && f.asid == 1 && f.rmpGFN == 0x20 && !f.validated)
        #expect(f.present == !unmap)
        #expect(t.page("u").attribute == .private)
        #expect(t.nptPFN("u") == 0x100)
        #expect(t.nptKind("u") == .private)
    }

    @Test func rmpupdateSharedWithUPMUsesTheSharedFD() {
        var t = Harness([decl("p", 0x10, .private)])
        #expect(t.run("kvm rmpupdate p shared").isEmpty)
        #expect(t.sharedPFN("p") == 0x101)
        #expect(t.page("p").attribute == .shared)
        #expect(t.nptPFN("p") == 0x101)
        #expect(t.nptKind("p") == .shared)
        #expect(!t.frame(pfn: 0x101).assigned)
        // The private side is not the one named: untouched.
        #expect(t.frame(pfn: 0x100).assigned)
        #expect(t.frame(pfn: 0x100).validated)
    }

    @Test func rmpupdateWithoutUPMConvertsTheSharedFDFrameInPlace() {
        var t = Harness([decl("p", 0x10, .shared)], ["upm off", "asid 3"])
        #expect(t.run("kvm rmpupdate p private").isEmpty)
        var f = t.frame(pfn: 0x100)
        #expect(f.assigned && f.asid == 3 && f.rmpGFN == 0x10 && !f.validated && !f.present)
        #expect(t.page("p").attribute == .private)
        #expect(t.nptPFN("p") == 0x100)
        #expect(t.nptKind("p") == .private)
        t.run("guest pvalidate p on")
        #expect(t.frame(pfn: 0x100).validated)
        #expect(t.run("kvm rmpupdate p shared").isEmpty)
        f = t.frame(pfn: 0x100)
        #expect(!f.assigned && !f.validated && f.present)
        #expect(t.page("p").attribute == .shared)
        #expect(t.nptPFN("p") == 0x100)
        #expect(t.nptKind("p") == .shared)
        #expect(t.sharedPFN("p") == 0x100)
        #expect(t.world.watermark == 1)
    }

    @Test func rmpupdateSharedRestoresTheDirectMapEvenWithDirectmapUnmapOff() {
        var t = Harness([decl("p", 0x10, .private)], ["upm off"])
        #expect(!t.frame(pfn: 0x100).present)
        t.run("kvm rmpupdate p shared")
        #expect(t.frame(pfn: 0x100).present)
    }

    @Test func rmpupdateThatFailsChangesNothing() throws {
        var t = Harness([decl("p", 0x10, .shared)], ["upm off", "rmpupdate fail"])
        t.run("guest psc p private")
        let frames = t.world.frames
        let o = t.run("kvm rmpupdate p private")
        #expect(t.kinds(o) == [.rmpupdateFailed])
        let r = try #require(o.first)
        #expect(r.severity == .info)
        #expect(r.page == "p" && r.gfn == 0x10 && r.frame == 0x100)
        #expect(r.reason.contains("FAIL_INUSE"))
        #expect(t.world.frames == frames)
        #expect(t.page("p").attribute == .shared)
        #expect(t.nptKind("p") == .shared)
        #expect(t.page("p").pending?.failed == true)
    }

    // MARK: kvm resume

    @Test func resumeCompletesRequestsExceptFailedOnes() {
        var t = Harness([decl("p", 0x10, .shared), decl("q", 0x11, .shared), decl("r", 0x12, .private)],
                        ["upm off", "kmap-guard on"])
        t.run(["guest psc p private", "guest psc q private", "guest psc r shared"])
        t.run(["kvm rmpupdate p private", "kvm map q via=kmap"])
        #expect(t.kinds(t.run("kvm rmpupdate q private")) == [.conversionRefused])
        #expect(t.page("q").pending?.failed == true)
        #expect(t.run("kvm resume").isEmpty)
        #expect(t.page("p").guestView == .private)
        #expect(t.page("q").guestView == .shared)
        #expect(t.page("r").guestView == .shared)
        for n in ["p", "q", "r"] { #expect(t.page(n).pending == nil) }
        // A resume with nothing pending changes nothing.
        let pages = t.world.pages
        t.run("kvm resume")
        #expect(t.world.pages == pages)
    }

    @Test func aRequestFailedByRMPUpdateFailKeepsTheView() {
        var t = Harness([decl("p", 0x10, .shared), decl("q", 0x11, .shared)], ["rmpupdate fail"])
        t.run(["guest psc p private", "guest psc q private", "kvm exit p", "kvm exit q"])
        t.run(["vmm convert p private", "kvm rmpupdate q private", "kvm resume"])
        #expect(t.page("p").guestView == .private)
        #expect(t.page("q").guestView == .shared)
    }

    // MARK: vmm set-attr, alloc, discard, convert

    @Test func setAttrRemovesAnNPTEntryOfTheOtherKind() {
        var t = Harness([decl("p", 0x10, .private), decl("s", 0x20, .shared)])
        #expect(t.run("vmm set-attr s shared").isEmpty)
        #expect(t.nptPFN("s") == 0x101)
        t.run("vmm set-attr p shared")
        #expect(t.page("p").attribute == .shared)
        #expect(t.page("p").npt == nil)
        #expect(t.privatePFN("p") == 0x100)
        t.run("vmm set-attr s private")
        #expect(t.page("s").attribute == .private)
        #expect(t.page("s").npt == nil)
        #expect(t.sharedPFN("s") == 0x101)
        #expect(t.frame(pfn: 0x100).assigned)
    }

    @Test func allocFillsAHoleOnly() {
        var t = Harness([decl("p", 0x10, .shared)])
        #expect(t.run("vmm alloc p private").isEmpty)
        #expect(t.privatePFN("p") == 0x101)
        #expect(t.frame(pfn: 0x101).owner == .privateFD(gfn: 0x10))
        #expect(!t.frame(pfn: 0x101).assigned)
        let w = t.world.watermark
        t.run(["vmm alloc p private", "vmm alloc p shared"])
        #expect(t.world.watermark == w)
        #expect(t.privatePFN("p") == 0x101)
        #expect(t.sharedPFN("p") == 0x100)
    }

    @Test func discardFreesTheFrameAndRemovesTheNPTEntryToIt() {
        var t = Harness([decl("p", 0x10, .shared)])
        t.run("vmm alloc p private")
        // Discarding the side the NPT does not map keeps the entry.
        #expect(t.run("vmm discard p private").isEmpty)
        #expect(t.nptPFN("p") == 0x100)
        #expect(t.frame(pfn: 0x101).owner == .free)
        #expect(t.run("vmm discard p shared").isEmpty)
        #expect(t.sharedPFN("p") == nil)
        #expect(t.page("p").npt == nil)
        #expect(t.frame(pfn: 0x100).owner == .free)
        #expect(t.freeFrames().contains(0) && t.freeFrames().contains(1))
        // Discarding a hole changes nothing.
        let pages = t.world.pages
        #expect(t.run("vmm discard p shared").isEmpty)
        #expect(t.world.pages == pages)
    }

    @Test func discardMakesAnAssignedFrameSharedFirst() {
        var t = Harness([decl("p", 0x10, .private)])
        #expect(t.run("vmm discard p private").isEmpty)
        let f = t.frame(pfn: 0x100)
        #expect(f.owner == .free)
        #expect(!f.assigned && !f.validated && f.present)
        #expect(t.privatePFN("p") == nil)
        #expect(t.page("p").npt == nil)
    }

    @Test func discardOfAPinnedFrameMakesAnOrphan() {
        var t = Harness([decl("p", 0x10, .private)], ["upm off"])
        t.run("kvm map p via=pin")
        #expect(t.run("vmm discard p shared").isEmpty)
        let f = t.frame(pfn: 0x100)
        #expect(f.owner == .orphan(gfn: 0x10))
        #expect(!f.assigned && f.present)
        #expect(f.pins == 1)
        #expect(t.page("p").orphans == 1)
        #expect(!t.freeFrames().contains(0))
    }

    @Test func discardWhoseRMPUpdateFailsLeaksTheFrameForever() {
        var t = Harness([decl("p", 0x10, .private), decl("u", 0x20, .unbacked)], ["upm off", "rmpupdate fail"])
        t.run("kvm map p via=pin")
        let o = t.run("vmm discard p shared")
        #expect(t.kinds(o) == [.rmpupdateFailed])
        var f = t.frame(pfn: 0x100)
        #expect(f.owner == .orphan(gfn: 0x10))
        #expect(f.assigned)
        #expect(t.page("p").orphans == 1)
        #expect(t.sharedPFN("p") == nil)
        #expect(t.page("p").npt == nil)
        // Unpinned, it is still never freed.
        t.run("kvm unmap p")
        f = t.frame(pfn: 0x100)
        #expect(f.owner == .orphan(gfn: 0x10))
        #expect(f.pins == 0)
        #expect(!t.freeFrames().contains(0))
        t.run("vmm alloc u shared")
        #expect(t.sharedPFN("u") == 0x101)
        #expect(t.brokenInvariants().isEmpty)
    }

    @Test func discardWhoseRMPUpdateFailsLeaksAnUnpinnedFrameToo() {
        var t = Harness([decl("p", 0x10, .private)], ["rmpupdate fail"])
        t.run("vmm discard p private")
        #expect(t.frame(pfn: 0x100).owner == .orphan(gfn: 0x10))
        #expect(!t.freeFrames().contains(0))
    }

    @Test func convertWithoutDiscardIsTwoActions() {
        var t = Harness([decl("p", 0x10, .shared)])
        let s = Int32(t.slot("p"))
        #expect(t.actions(of: "vmm convert p private") == [.setAttr(slot: s, .private), .alloc(slot: s, .private)])
        #expect(t.run("vmm convert p private").isEmpty)
        #expect(t.page("p").attribute == .private)
        #expect(t.page("p").npt == nil)
        #expect(t.privatePFN("p") == 0x101)
        #expect(t.sharedPFN("p") == 0x100)
        #expect(t.page("p").backingCount == 2)
    }

    @Test func convertWithDiscardIsThreeActions() {
        var t = Harness([decl("p", 0x10, .shared, count: 2)], ["discard-on-convert on"])
        let s0 = Int32(t.slot("p", 0)), s1 = Int32(t.slot("p", 1))
        #expect(t.actions(of: "vmm convert p private") == [
            .setAttr(slot: s0, .private), .alloc(slot: s0, .private), .discard(slot: s0, .shared),
            .setAttr(slot: s1, .private), .alloc(slot: s1, .private), .discard(slot: s1, .shared),
        ])
        #expect(t.run("vmm convert p private").isEmpty)
        // p[0]'s shared frame 0x100 is freed before p[1] allocates: LIFO hands it out again.
        #expect(t.privatePFN("p", 0) == 0x102)
        #expect(t.privatePFN("p", 1) == 0x100)
        #expect(t.sharedPFN("p", 0) == nil)
        #expect(t.sharedPFN("p", 1) == nil)
        #expect(t.frame(pfn: 0x101).owner == .free)
        #expect(t.page("p", 0).backingCount == 1)
    }

    @Test func convertBackToSharedDiscardsTheAssignedPrivateFrame() {
        var t = Harness([decl("p", 0x10, .private)], ["discard-on-convert on"])
        #expect(t.run("vmm convert p shared").isEmpty)
        #expect(t.sharedPFN("p") == 0x101)
        #expect(t.privatePFN("p") == nil)
        #expect(t.frame(pfn: 0x100).owner == .free)
        #expect(!t.frame(pfn: 0x100).assigned)
        #expect(t.frame(pfn: 0x100).present)
        #expect(t.page("p").attribute == .shared)
    }

    // MARK: vmm read/write

    @Test func vmmAccessFillsAHoleOfTheSharedFD() {
        var t = Harness([decl("u", 0x20, .unbacked), decl("q", 0x30, .private)])
        #expect(t.run(["vmm write u", "vmm read q", "vmm write q"]).isEmpty)
        #expect(t.sharedPFN("u") == 0x101)
        #expect(t.sharedPFN("q") == 0x102)
    }

    // MARK: host alloc

    @Test func hostAllocGivesAFrameToAKernelObject() {
        var t = Harness([decl("p", 0x10, .shared)])
        #expect(t.run("host alloc obj").isEmpty)
        #expect(t.world.kernelObjects.map(\.name) == ["obj"])
        #expect(t.pfn(t.world.kernelObjects[0].frame) == 0x101)
        #expect(t.frame(pfn: 0x101).owner == .kernel(0))
        // Through the direct map, with no mapping: no outcome.
        #expect(t.run(["host write obj", "host read obj"]).isEmpty)
        t.run("host map obj via=kmap")
        #expect(t.mapping(.host, .kernel(0))?.frame == 1)
        #expect(t.run(["host write obj", "host unmap obj"]).isEmpty)
        #expect(t.brokenInvariants().isEmpty)
    }
}
