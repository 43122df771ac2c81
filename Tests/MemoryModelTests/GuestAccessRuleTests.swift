import MemoryModel
import Testing
import TestSupport

/// memory-model.md, Access rules, Guest access 1–4 under each `implicit-conversion`: `exit`
/// (mainline), `off` (thread), `in-place` (v5, and `off` again with `upm on`).
@Suite struct GuestAccessRuleTests {
    /// A C-bit that disagrees with the attribute, with an NPT entry: mainline exits to the VMM
    /// before the RMP check; thread and v5-with-UPM take the #NPF of the RMP check (rule 4); v5
    /// converts the frame in place (rule 3).
    /// (kernel settings, page's backing, access, outcomes)
    static let disagreeingWithAnEntry: [(settings: [String], backing: InitialBacking, access: String, kinds: [OutcomeKind])] = [
        (["kernel mainline"], .private, "read p shared", [.memoryFaultExit]),
        (["kernel mainline"], .private, "write p shared", [.memoryFaultExit]),
        (["kernel mainline"], .shared, "write p private", [.memoryFaultExit]),
        (["kernel mainline"], .shared, "read p private", [.memoryFaultExit]),
        (["kernel thread"], .private, "read p shared", [.guestNPF]),
        (["kernel thread"], .shared, "write p private", [.guestNPF]),
        (["kernel v5", "upm on"], .private, "write p shared", [.guestNPF]),
        (["kernel v5", "upm on"], .shared, "read p private", [.guestNPF]),
        (["kernel v5"], .private, "write p shared", [.implicitConversion]),
        (["kernel v5"], .shared, "read p private", [.implicitConversion, .guestVC]),
        (["kernel mainline", "implicit-conversion off"], .private, "read p shared", [.guestNPF]),
        (["kernel thread", "implicit-conversion exit"], .shared, "write p private", [.memoryFaultExit]),
    ]

    @Test(arguments: disagreeingWithAnEntry)
    func aDisagreeingCBitWithAnNPTEntry(settings: [String], backing: InitialBacking, access: String,
                                       kinds: [OutcomeKind]) throws {
        var t = Harness([decl("p", 0x10, backing)], settings)
        let before = (t.world.frames, t.world.pages, t.world.watermark)
        let o = t.run("guest \(access)")
        #expect(t.kinds(o) == kinds)
        for r in o {
            #expect(r.page == "p" && r.gfn == 0x10)
        }
        if kinds.first != .implicitConversion {
            // The access does not happen, and nothing changes.
            #expect(t.world.frames == before.0)
            #expect(t.world.pages == before.1)
            #expect(t.world.watermark == before.2)
        }
    }

    /// Rule 1: KVM_EXIT_MEMORY_FAULT carries the PRIVATE flag when c=1, not when c=0.
    @Test func memoryFaultExitNamesThePrivateFlagOnlyForAPrivateAccess() throws {
        var t = Harness([decl("p", 0x10, .private), decl("s", 0x20, .shared)], ["kernel mainline"])
        let privateAccess = try #require(t.run("guest write s private").first)
        #expect(privateAccess.kind == .memoryFaultExit)
        #expect(privateAccess.reason.contains("PRIVATE"))
        let sharedAccess = try #require(t.run("guest write p shared").first)
        #expect(sharedAccess.kind == .memoryFaultExit)
        #expect(!sharedAccess.reason.contains("PRIVATE"))
    }

    /// PVALIDATE is a private access: under mainline on a shared page it exits too (rule 1), under
    /// thread it fails the RMP check (rule 4); neither touches the RMP.
    @Test(arguments: ["thread", "mainline"])
    func pvalidateOfASharedPageIsAPrivateAccess(kernel: String) {
        var t = Harness([decl("s", 0x20, .shared)], ["kernel \(kernel)"])
        #expect(t.kinds(t.run("guest pvalidate s on")) == [kernel == "mainline" ? .memoryFaultExit : .guestNPF])
        let f = t.frame(pfn: 0x100)
        #expect(!f.assigned && !f.validated)
        #expect(t.nptKind("s") == .shared)
    }

    // MARK: rules 1 and 2 with no NPT entry

    /// No NPT entry: exit (rule 1) and off (rule 2) both exit on a disagreeing C-bit, allocating
    /// nothing; on an agreeing one KVM faults the page in and the access goes on.
    @Test(arguments: ["kernel thread", "kernel mainline", "kernel v5|upm on"])
    func noNPTEntryExitsOrFaultsIn(kernel: String) throws {
        let settings = kernel.split(separator: "|").map(String.init)
        var t = Harness([decl("u", 0x20, .unbacked), decl("v", 0x21, .unbacked)], settings)
        t.run("vmm set-attr v private")
        for access in ["guest write u private", "guest read v shared", "guest pvalidate u on"] {
            #expect(t.kinds(t.run(access)) == [.memoryFaultExit], "\(access)")
        }
        #expect(t.world.watermark == 0)
        #expect(t.page("u").npt == nil && t.page("v").npt == nil)
        #expect(t.run("guest write u shared").isEmpty)
        #expect(t.sharedPFN("u") == 0x100 && t.nptKind("u") == .shared)
        #expect(t.kinds(t.run("guest read v private")) == [.guestVC])
        #expect(t.privatePFN("v") == 0x101 && t.nptKind("v") == .private)
        #expect(t.frame(pfn: 0x101).assigned && !t.frame(pfn: 0x101).validated)
    }

    // MARK: rule 3: in-place (v5)

    /// A private access to a shared page converts the frame in place, exactly as `kvm rmpupdate P
    /// private`: Assigned=1, ASID, GPA, Validated=0, out of the direct map, attribute and NPT
    /// private. Then rule 4: not validated, so a #VC. PVALIDATE then validates it.
    @Test(arguments: ["read", "write"])
    func inPlacePrivateAccessConvertsThenFailsValidation(access: String) throws {
        var t = Harness([decl("s", 0x20, .shared)], ["kernel v5", "asid 6"])
        let o = t.run("guest \(access) s private")
        #expect(t.kinds(o) == [.implicitConversion, .guestVC])
        #expect(o.allSatisfy { $0.page == "s" && $0.gfn == 0x20 && $0.frame == 0x100 })
        let f = t.frame(pfn: 0x100)
        #expect(f.owner == .sharedFD(gfn: 0x20))
        #expect(f.assigned && f.asid == 6 && f.rmpGFN == 0x20 && !f.validated && !f.present)
        #expect(t.page("s").attribute == .private)
        #expect(t.nptPFN("s") == 0x100 && t.nptKind("s") == .private)
        #expect(t.world.watermark == 1)
        #expect(t.run("guest pvalidate s on").isEmpty)
        #expect(t.frame(pfn: 0x100).validated)
        #expect(t.run("guest \(access) s private").isEmpty)
        #expect(t.kinds(t.run("guest \(access) s shared")) == [.implicitConversion])
    }

    @Test func inPlacePValidateOfASharedPageConvertsThenValidates() {
        var t = Harness([decl("s", 0x20, .shared)], ["kernel v5"])
        #expect(t.kinds(t.run("guest pvalidate s on")) == [.implicitConversion])
        let f = t.frame(pfn: 0x100)
        #expect(f.assigned && f.rmpGFN == 0x20 && f.validated)
        #expect(t.run("guest write s private").isEmpty)
    }

    /// A shared access to a private page: the frame is made shared in place (Assigned=0,
    /// Validated=0, direct map restored), and the access goes on.
    @Test func inPlaceSharedAccessToAPrivatePageConvertsItShared() {
        var t = Harness([decl("p", 0x10, .private)], ["kernel v5"])
        #expect(!t.frame(pfn: 0x100).present)
        let o = t.run("guest write p shared")
        #expect(t.kinds(o) == [.implicitConversion])
        #expect(o.first?.frame == 0x100)
        let f = t.frame(pfn: 0x100)
        #expect(!f.assigned && !f.validated && f.present)
        #expect(t.page("p").attribute == .shared)
        #expect(t.nptPFN("p") == 0x100 && t.nptKind("p") == .shared)
        #expect(t.sharedPFN("p") == 0x100)
        // Agreeing now: nothing more.
        #expect(t.run("guest read p shared").isEmpty)
        // The guest's own view is still private: its next access converts the frame back.
        #expect(t.kinds(t.run("guest read p")) == [.implicitConversion, .guestVC])
        #expect(t.frame(pfn: 0x100).assigned)
    }

    /// With no NPT entry, in-place faults the page in whatever c (no memory-fault-exit), then
    /// converts it if c disagrees with the frame.
    @Test func inPlaceWithNoNPTEntryFaultsInWhateverTheCBit() throws {
        var t = Harness([decl("u", 0x20, .unbacked), decl("w", 0x21, .unbacked)], ["kernel v5"])
        #expect(t.run("guest read u shared").isEmpty)
        #expect(t.sharedPFN("u") == 0x100 && t.nptKind("u") == .shared)
        #expect(!t.frame(pfn: 0x100).assigned)
        let o = t.run("guest write w private")
        #expect(t.kinds(o) == [.implicitConversion, .guestVC])
        #expect(t.sharedPFN("w") == 0x101)
        #expect(t.privatePFN("w") == nil)
        #expect(t.frame(pfn: 0x101).assigned && t.frame(pfn: 0x101).rmpGFN == 0x21)
        #expect(t.page("w").attribute == .private && t.nptKind("w") == .private)
    }

    /// If the in-place RMPUPDATE does not happen (the kmap guard, or `rmpupdate fail`), the guest
    /// takes a #NPF and the access does not happen: frame, attribute and NPT unchanged.
    static let stoppedConversions: [(settings: [String], setup: [String], access: String, first: OutcomeKind)] = [
        (["kmap-guard on"], ["host map p via=kmap"], "write p private", .conversionRefused),
        (["kmap-guard on"], ["host map p via=pin"], "read p private", .conversionRefused),
        (["rmpupdate fail"], [], "write p private", .rmpupdateFailed),
        (["rmpupdate fail"], [], "pvalidate p on", .rmpupdateFailed),
    ]

    @Test(arguments: stoppedConversions)
    func inPlaceConversionThatDoesNotHappenIsAGuestNPF(settings: [String], setup: [String], access: String,
                                                       first: OutcomeKind) {
        var t = Harness([decl("p", 0x10, .shared)], ["kernel v5"] + settings)
        t.run(setup)
        let frames = t.world.frames, page = t.page("p")
        let o = t.run("guest \(access)")
        #expect(t.kinds(o) == [first, .guestNPF])
        #expect(o.allSatisfy { $0.page == "p" && $0.frame == 0x100 })
        #expect(t.world.frames == frames)
        #expect(t.page("p") == page)
        #expect(!t.stopped)
    }

    @Test func inPlaceSharedConversionThatFailsIsAGuestNPF() {
        var t = Harness([decl("p", 0x10, .private)], ["kernel v5", "rmpupdate fail"])
        let o = t.run("guest read p shared")
        #expect(t.kinds(o) == [.rmpupdateFailed, .guestNPF])
        #expect(t.frame(pfn: 0x100).assigned && t.frame(pfn: 0x100).validated)
        #expect(t.page("p").attribute == .private && t.nptKind("p") == .private)
    }

    /// `upm on` turns in-place into off: no conversion, rule 4 or rule 2 instead.
    @Test func inPlaceWithUPMActsAsOff() {
        var t = Harness([decl("s", 0x20, .shared), decl("u", 0x21, .unbacked)], ["kernel v5", "upm on"])
        #expect(t.kinds(t.run("guest write s private")) == [.guestNPF])
        #expect(!t.frame(pfn: 0x100).assigned)
        #expect(t.page("s").attribute == .shared)
        #expect(t.kinds(t.run("guest write u private")) == [.memoryFaultExit])
        #expect(t.page("u").npt == nil && t.world.watermark == 1)
        // And the same explicitly under another kernel.
        var m = Harness([decl("s", 0x20, .shared)], ["kernel mainline", "implicit-conversion in-place"])
        #expect(m.kinds(m.run("guest write s private")) == [.guestNPF])
        #expect(!m.frame(pfn: 0x100).assigned)
    }

    /// An explicit in-place under thread or mainline, without UPM, converts as v5 does.
    @Test(arguments: ["thread", "mainline"])
    func explicitInPlaceWithoutUPMConverts(kernel: String) {
        var t = Harness([decl("s", 0x20, .shared)], ["kernel \(kernel)", "upm off", "implicit-conversion in-place"])
        #expect(t.kinds(t.run("guest write s private")) == [.implicitConversion, .guestVC])
        #expect(t.frame(pfn: 0x100).assigned)
        #expect(t.frame(pfn: 0x100).present == (kernel == "mainline"))
    }

    /// `guest psc … shared` starts with PVALIDATE off, a private access: on a page that is shared
    /// already, v5 converts it in place first; mainline exits.
    @Test(arguments: ["v5", "mainline"])
    func pscSharedOfASharedPageIsAPrivateAccessFirst(kernel: String) {
        var t = Harness([decl("s", 0x20, .shared)], ["kernel \(kernel)"])
        let o = t.run("guest psc s shared")
        if kernel == "v5" {
            #expect(t.kinds(o) == [.implicitConversion, .pvalidateNoupdate])
            #expect(t.frame(pfn: 0x100).assigned)
        } else {
            #expect(t.kinds(o) == [.memoryFaultExit])
            #expect(!t.frame(pfn: 0x100).assigned)
        }
        #expect(t.page("s").pending?.kind == .shared)
    }

    // MARK: rule 4 under every kernel

    /// With an agreeing C-bit the RMP check decides, the same on every kernel.
    @Test(arguments: ["thread", "v5", "mainline"])
    func rmpCheckWithAnAgreeingCBit(kernel: String) {
        var t = Harness([decl("p", 0x10, .private), decl("s", 0x20, .shared)], ["kernel \(kernel)"])
        #expect(t.run(["guest read p", "guest write p private", "guest write s", "guest read s shared"]).isEmpty)
        t.run("guest pvalidate p off")
        #expect(!t.frame(pfn: 0x100).validated)
        #expect(t.kinds(t.run("guest write p private")) == [.guestVC])
        #expect(t.kinds(t.run("guest pvalidate p off")) == [.pvalidateNoupdate])
        #expect(t.frame(pfn: 0x100).assigned)
        // RMPUPDATE to private clears Validated even of an assigned frame: the guest must PVALIDATE again.
        t.run(["guest pvalidate p on", "kvm rmpupdate p private"])
        #expect(t.frame(pfn: 0x100).assigned && !t.frame(pfn: 0x100).validated)
        #expect(t.kinds(t.run("guest read p")) == [.guestVC])
    }
}
