import MemoryModel
import Testing
import TestSupport

/// memory-model.md, Outcomes, and the RMPUPDATE rules (kmap guard, rmpupdate fail).
@Suite struct OutcomeTests {
    static let table: [(String, Severity)] = [
        ("host-panic", .fatal), ("oops", .fatal), ("out-of-memory", .fatal), ("guest-terminated", .fatal),
        ("use-after-free", .error),
        ("lost-write", .warning), ("double-allocation", .warning), ("pf-fixup", .warning),
        ("guard-flip", .warning), ("sigbus", .warning), ("guest-vc", .warning),
        ("guest-npf", .info), ("memory-fault-exit", .info), ("implicit-conversion", .info), ("psc-waited", .info),
        ("map-refused", .info), ("conversion-refused", .info),
        ("rmpupdate-failed", .info), ("efault", .info), ("ciphertext-read", .info), ("pvalidate-noupdate", .info),
    ]

    @Test(arguments: table)
    func severityOfEveryOutcome(name: String, severity: Severity) throws {
        let kind = try #require(OutcomeKind(rawValue: name))
        #expect(kind.severity == severity)
    }

    @Test func theOutcomesAreTheSpecsPlusInvariantBroken() {
        #expect(Set(OutcomeKind.allCases.map(\.rawValue)) == Set(Self.table.map(\.0) + ["invariant-broken"]))
        #expect(Severity.info < Severity.warning && Severity.warning < Severity.error && Severity.error < Severity.fatal)
    }

    // MARK: kmap guard

    @Test(arguments: [Via.kmap, .pin], ["kvm", "host"])
    func guardRefusesToAssignAFrameWithATrackedMapping(via: Via, holder: String) throws {
        var t = Harness([decl("p", 0x10, .shared)], ["upm off", "kmap-guard on"])
        t.run(["guest psc p private", "\(holder) map p via=\(via.rawValue)"])
        let frames = t.world.frames
        let o = t.run("kvm rmpupdate p private")
        #expect(t.kinds(o) == [.conversionRefused])
        let r = try #require(o.first)
        #expect(r.severity == .info)
        #expect(r.page == "p" && r.gfn == 0x10 && r.frame == 0x100)
        #expect(t.world.frames == frames)
        #expect(t.page("p").attribute == .shared)
        #expect(t.nptKind("p") == .shared)
        #expect(t.page("p").pending?.failed == true)
        t.run("kvm resume")
        #expect(t.page("p").guestView == .shared)
    }

    @Test(arguments: [Via.pageAddress, .uaccess])
    func guardDoesNotSeePageAddressOrUaccess(via: Via) {
        var t = Harness([decl("p", 0x10, .shared)], ["upm off", "kmap-guard on"])
        t.run("kvm map p via=\(via.rawValue)")
        #expect(t.run("kvm rmpupdate p private").isEmpty)
        #expect(t.frame(pfn: 0x100).assigned)
    }

    @Test func guardAllowsAssigningOnceTheMappingIsGone() {
        var t = Harness([decl("p", 0x10, .shared)], ["upm off", "kmap-guard on"])
        t.run(["kvm map p via=pin", "kvm unmap p"])
        #expect(t.run("kvm rmpupdate p private").isEmpty)
        #expect(t.frame(pfn: 0x100).assigned)
    }

    @Test func guardRefusesTheFaultInOfAFrameWithAStaleKmap() throws {
        var t = Harness([decl("ghcb", 0x10, .shared), decl("heap", 0x30, .unbacked)],
                        ["discard-on-convert on", "kmap-guard on"])
        t.run(["kvm map ghcb via=kmap", "vmm convert ghcb private", "vmm convert heap private"])
        #expect(t.privatePFN("heap") == 0x100)
        let o = t.run("kvm fault-in heap")
        #expect(t.kinds(o) == [.conversionRefused])
        #expect(o.first?.page == "heap" && o.first?.frame == 0x100)
        #expect(t.page("heap").npt == nil)
        #expect(!t.frame(pfn: 0x100).assigned)
    }

    @Test(arguments: [Via.kmap, .pin], Holder.allCases)
    func guardFlipsAnAssignedFrameToMapIt(via: Via, holder: Holder) throws {
        var t = Harness([decl("p", 0x10, .private)], ["upm off", "kmap-guard on"])
        let o = t.run("\(holder.rawValue) map p via=\(via.rawValue)")
        #expect(t.kinds(o) == [.guardFlip])
        let r = try #require(o.first)
        #expect(r.severity == .warning)
        #expect(r.page == "p" && r.gfn == 0x10 && r.frame == 0x100)
        let f = t.frame(pfn: 0x100)
        #expect(!f.assigned && !f.validated && f.present)
        #expect(t.mapping(holder, "p")?.via == via)
        #expect(f.pins == (via == .pin ? 1 : 0))
        // Mapped and shared now: the kernel write is fine.
        #expect(t.run("\(holder.rawValue) write p").isEmpty)
    }

    @Test func guardDoesNotFlipForPageAddress() {
        var t = Harness([decl("p", 0x10, .private)], ["upm off", "kmap-guard on"])
        #expect(t.run("kvm map p via=page_address").isEmpty)
        #expect(t.frame(pfn: 0x100).assigned)
        #expect(t.kinds(t.run("kvm write p")) == [.hostPanic])
    }

    @Test func guardFlipWhoseRMPUpdateFailsIsAHostPanic() throws {
        var t = Harness([decl("p", 0x10, .private)], ["upm off", "kmap-guard on", "rmpupdate fail"])
        let o = t.run("kvm map p via=kmap")
        #expect(t.kinds(o).contains(.hostPanic))
        #expect(!t.kinds(o).contains(.guardFlip))
        let p = try #require(o.first { $0.kind == .hostPanic })
        #expect(p.page == "p" && p.frame == 0x100)
        #expect(t.frame(pfn: 0x100).assigned)
        #expect(t.stopped)
    }

    /// "if that RMPUPDATE fails, host-panic (kmap() cannot fail)": the spec names host-panic whatever panic-on-oops says.
    @Test func guardFlipFailureIsAHostPanicEvenWithPanicOnOopsOff() {
        var t = Harness([decl("p", 0x10, .private)], ["upm off", "kmap-guard on", "rmpupdate fail", "panic-on-oops off"])
        let o = t.run("kvm map p via=pin")
        #expect(t.kinds(o).contains(.hostPanic))
        #expect(t.stopped)
    }

    // MARK: rmpupdate fail on every RMPUPDATE

    @Test func everyRMPUpdateObeysRMPUpdateFail() {
        var t = Harness([decl("p", 0x10, .private), decl("s", 0x20, .shared), decl("u", 0x30, .unbacked)],
                        ["rmpupdate fail"])
        let frames = t.world.frames
        #expect(t.kinds(t.run("kvm rmpupdate s private")) == [.rmpupdateFailed])
        #expect(t.kinds(t.run("kvm rmpupdate p shared")) == [.rmpupdateFailed])
        #expect(t.page("p").attribute == .private)
        #expect(t.nptKind("p") == .private)
        t.run("vmm set-attr u private")
        #expect(t.kinds(t.run("kvm fault-in u")) == [.rmpupdateFailed])
        for pfn in [0x100, 0x101] { #expect(t.frame(pfn: pfn) == frames[pfn - 0x100]) }
    }

    // MARK: double-allocation, checked at the end of a step

    @Test func doubleAllocationIsRaisedWhenItBeginsOnly() throws {
        var t = Harness([decl("p", 0x10, .shared), decl("q", 0x11, .shared)])
        let s = Int32(t.slot("p")), q = Int32(t.slot("q"))
        t.run("vmm alloc p private")
        t.world.endStep(touched: [s, q])
        var o = t.world.drain().outcomes
        #expect(o.map(\.kind) == [.doubleAllocation])
        let d = try #require(o.first)
        #expect(d.severity == .warning)
        #expect(d.page == "p" && d.gfn == 0x10)
        #expect(d.frame == 0x102 || d.frame == 0x100)
        #expect(d.reason.contains("0x100") && d.reason.contains("0x102"))
        // Still doubled at the next step end: not raised again.
        t.world.endStep(touched: [s])
        #expect(t.world.drain().outcomes.isEmpty)
        t.run("vmm discard p shared")
        t.world.endStep(touched: [s])
        #expect(t.world.drain().outcomes.isEmpty)
        t.run("vmm alloc p shared")
        t.world.endStep(touched: [s])
        o = t.world.drain().outcomes
        #expect(o.map(\.kind) == [.doubleAllocation])
    }

    @Test func anOrphanCountsAsABackingFrame() {
        var t = Harness([decl("p", 0x10, .shared)])
        let s = Int32(t.slot("p"))
        t.run(["kvm map p via=pin", "vmm discard p shared", "vmm alloc p shared"])
        t.world.endStep(touched: [s])
        #expect(t.world.drain().outcomes.map(\.kind) == [.doubleAllocation])
    }
}
