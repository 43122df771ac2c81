import MemoryModel
import Testing
import TestSupport

/// memory-model.md, `post-map-guard` (the thread's patch 39/45, on by default under v5): KVM may
/// not map an assigned frame (`map-refused`), and an RMPUPDATE to private of a frame KVM maps waits
/// until KVM has unmapped it (`psc-waited`).
@Suite struct PostMapGuardTests {
    /// Without UPM, so that a private page's frame is the one behind its user address.
    static let guarded: [[String]] = [
        ["kernel v5"],
        ["kernel thread", "upm off", "post-map-guard on"],
        ["post-map-guard on", "kernel mainline", "upm off"],
    ]
    static let vias: [String] = ["via=kmap", "via=pin", "via=page_address", ""]

    // MARK: map-refused

    @Test(arguments: guarded, vias)
    func kvmMapOfAnAssignedFrameIsRefused(settings: [String], via: String) throws {
        var t = Harness([decl("p", 0x10, .private)], settings)
        let frames = t.world.frames
        let o = t.run("kvm map p \(via)".trimmingCharacters(in: .whitespaces))
        #expect(t.kinds(o) == [.mapRefused])
        let r = try #require(o.first)
        #expect(r.severity == .info)
        #expect(r.page == "p" && r.gfn == 0x10 && r.frame == 0x100)
        #expect(t.mapping(.kvm, "p") == nil)
        #expect(t.world.mappings.isEmpty)
        #expect(t.world.frames == frames)
        // With no mapping, KVM's write goes through the user address: -EFAULT, not a panic.
        #expect(t.kinds(t.run("kvm write p")) == [.efault])
        #expect(!t.stopped)
    }

    /// "KVM is left with no mapping of P", also when it had one: here a pin of P's old frame,
    /// which the refused map releases (freeing the orphan), and a uaccess mapping.
    @Test(arguments: guarded)
    func aRefusedMapDropsKVMsEarlierMapping(settings: [String]) throws {
        var t = Harness([decl("p", 0x10, .shared), decl("q", 0x20, .private)], settings)
        t.run(["kvm map p via=pin", "vmm discard p shared"])
        #expect(t.frame(pfn: 0x100).owner == .orphan(gfn: 0x10))
        #expect(t.run("kvm rmpupdate p private").isEmpty)
        let pfn = try #require(t.sharedPFN("p"))
        #expect(pfn != 0x100 && t.frame(pfn: pfn).assigned)
        #expect(t.kinds(t.run("kvm map p via=kmap")) == [.mapRefused])
        #expect(t.mapping(.kvm, "p") == nil)
        let old = t.frame(pfn: 0x100)
        #expect(old.owner == .free && old.pins == 0)
        #expect(t.page("p").orphans == 0)
        t.run("kvm map q via=uaccess")
        #expect(t.mapping(.kvm, "q")?.via == .uaccess)
        #expect(t.kinds(t.run("kvm map q via=page_address")) == [.mapRefused])
        #expect(t.mapping(.kvm, "q") == nil)
        #expect(t.brokenInvariants().isEmpty)
    }

    /// Not affected: `host map`, a `uaccess` map, a map of an unassigned frame, a guard that is off.
    @Test(arguments: guarded)
    func whatTheGuardDoesNotRefuse(settings: [String]) throws {
        var t = Harness([decl("p", 0x10, .private), decl("s", 0x20, .shared)], settings)
        #expect(t.run("host map p via=pin").isEmpty)
        #expect(t.mapping(.host, "p")?.via == .pin)
        #expect(t.frame(pfn: 0x100).pins == 1)
        #expect(t.run("kvm map p via=uaccess").isEmpty)
        #expect(t.mapping(.kvm, "p")?.via == .uaccess)
        #expect(t.kinds(t.run("kvm write p")) == [.efault])
        #expect(t.run("kvm map s via=kmap").isEmpty)
        #expect(t.pfn(try #require(t.mapping(.kvm, "s")).frame) == 0x101)
    }

    @Test(arguments: ["thread", "mainline"])
    func withTheGuardOffKVMMapsAnAssignedFrame(kernel: String) throws {
        var t = Harness([decl("p", 0x10, .private)], ["kernel \(kernel)", "upm off"])
        #expect(t.run("kvm map p via=kmap").isEmpty)
        #expect(t.pfn(try #require(t.mapping(.kvm, "p")).frame) == 0x100)
        var v = Harness([decl("p", 0x10, .private)], ["kernel v5", "post-map-guard off"])
        #expect(v.run("kvm map p").isEmpty)
        #expect(v.frame(pfn: 0x100).pins == 1)
    }

    // MARK: psc-waited

    /// `kvm rmpupdate P private` of a frame KVM maps: KVM's mappings of it are dropped (a pin
    /// released), `psc-waited`, then the RMPUPDATE goes on. Other kernel code's mapping stays.
    @Test(arguments: guarded, ["kmap", "pin", "page_address"])
    func rmpupdateToPrivateWaitsForKVM(settings: [String], via: String) throws {
        var t = Harness([decl("s", 0x20, .shared)], settings)
        t.run(["kvm map s via=\(via)", "host map s via=pin"])
        #expect(t.frame(pfn: 0x100).pins == (via == "pin" ? 2 : 1))
        let o = t.run("kvm rmpupdate s private")
        #expect(t.kinds(o) == [.pscWaited])
        let r = try #require(o.first)
        #expect(r.severity == .info)
        #expect(r.page == "s" && r.gfn == 0x20 && r.frame == 0x100)
        #expect(t.mapping(.kvm, "s") == nil)
        #expect(t.mapping(.host, "s")?.via == .pin)
        let f = t.frame(pfn: 0x100)
        #expect(f.pins == 1)
        #expect(f.assigned && f.rmpGFN == 0x20 && !f.validated)
        #expect(t.page("s").attribute == .private && t.nptKind("s") == .private)
        // Nothing left to wait for.
        #expect(t.run(["kvm rmpupdate s shared", "kvm rmpupdate s private"]).isEmpty)
    }

    @Test(arguments: guarded)
    func uaccessIsNotWaitedFor(settings: [String]) {
        var t = Harness([decl("s", 0x20, .shared)], settings)
        t.run("kvm map s via=uaccess")
        #expect(t.run("kvm rmpupdate s private").isEmpty)
        #expect(t.mapping(.kvm, "s")?.via == .uaccess)
        #expect(t.frame(pfn: 0x100).assigned)
    }

    @Test func withTheGuardOffNothingWaits() throws {
        var t = Harness([decl("s", 0x20, .shared)], ["kernel thread", "upm off"])
        t.run("kvm map s via=pin")
        #expect(t.run("kvm rmpupdate s private").isEmpty)
        #expect(t.mapping(.kvm, "s")?.via == .pin)
        #expect(t.frame(pfn: 0x100).pins == 1)
        #expect(t.frame(pfn: 0x100).assigned)
    }

    /// The thread's stale kmap with the patch: the fault-in's RMPUPDATE of the reused frame waits
    /// for KVM to drop the GHCB's stale mapping, so KVM's later write goes to the user address.
    @Test(arguments: ["thread", "mainline"])
    func faultInWaitsForTheStaleGHCBMapping(kernel: String) throws {
        var t = Harness([decl("ghcb", 0x10, .shared), decl("heap", 0x30, .unbacked)],
                        ["kernel \(kernel)", "discard-on-convert on", "post-map-guard on"])
        #expect(t.run(["kvm map ghcb via=kmap", "vmm convert ghcb private", "vmm convert heap private"]).isEmpty)
        let o = t.run("kvm fault-in heap")
        #expect(t.kinds(o) == [.pscWaited])
        #expect(o.first?.page == "heap" && o.first?.frame == 0x100)
        #expect(t.mapping(.kvm, "ghcb") == nil)
        #expect(t.privatePFN("heap") == 0x100)
        let f = t.frame(pfn: 0x100)
        #expect(f.assigned && f.rmpGFN == 0x30 && !f.validated)
        #expect(t.nptPFN("heap") == 0x100 && t.nptKind("heap") == .private)
        #expect(t.run("kvm write ghcb").isEmpty)
        #expect(!t.stopped)
        #expect(t.sharedPFN("ghcb") != 0x100)
    }

    /// The wait comes first; the RMPUPDATE then obeys `rmpupdate fail` and the kmap guard, which
    /// no longer sees KVM's dropped mapping but still sees other kernel code's.
    static let afterTheWait: [(settings: [String], hostMap: Bool, kinds: [OutcomeKind], assigned: Bool)] = [
        (["rmpupdate fail"], false, [.pscWaited, .rmpupdateFailed], false),
        (["kmap-guard on"], false, [.pscWaited], true),
        (["kmap-guard on"], true, [.pscWaited, .conversionRefused], false),
    ]

    @Test(arguments: afterTheWait)
    func theRMPUpdateGoesOnAfterTheWait(settings: [String], hostMap: Bool, kinds: [OutcomeKind], assigned: Bool) {
        var t = Harness([decl("s", 0x20, .shared)], ["kernel v5"] + settings)
        t.run("kvm map s via=kmap")
        if hostMap { t.run("host map s via=kmap") }
        #expect(t.kinds(t.run("kvm rmpupdate s private")) == kinds)
        #expect(t.mapping(.kvm, "s") == nil)
        #expect(t.frame(pfn: 0x100).assigned == assigned)
        #expect(t.page("s").attribute == (assigned ? .private : .shared))
    }

    /// v5's in-place conversion is an RMPUPDATE too: it waits for KVM's pin first.
    @Test func implicitConversionWaitsForKVM() {
        var t = Harness([decl("s", 0x20, .shared)], ["kernel v5"])
        t.run("kvm map s")
        #expect(t.frame(pfn: 0x100).pins == 1)
        let o = t.run("guest write s private")
        #expect(t.kinds(o) == [.pscWaited, .implicitConversion, .guestVC])
        #expect(t.mapping(.kvm, "s") == nil)
        #expect(t.frame(pfn: 0x100).pins == 0)
        #expect(t.frame(pfn: 0x100).assigned)
        // And KVM cannot map it back while it is assigned.
        #expect(t.kinds(t.run("kvm map s")) == [.mapRefused])
    }
}
