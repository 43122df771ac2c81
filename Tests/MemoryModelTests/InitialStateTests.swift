import MemoryModel
import Testing
import TestSupport

/// memory-model.md, Initial state and the allocator.
@Suite struct InitialStateTests {
    @Test(arguments: [true, false], [true, false])
    func sharedPage(upm: Bool, unmap: Bool) throws {
        var t = Harness([decl("p", 0x10, .shared)], ["upm \(upm ? "on" : "off")", "directmap-unmap \(unmap ? "on" : "off")"])
        #expect(t.sharedPFN("p") == 0x100)
        #expect(t.privatePFN("p") == nil)
        #expect(t.page("p").attribute == .shared)
        #expect(t.nptPFN("p") == 0x100)
        #expect(t.nptKind("p") == .shared)
        #expect(t.page("p").guestView == .shared)
        #expect(t.page("p").pending == nil)
        let f = t.frame(pfn: 0x100)
        #expect(f.owner == .sharedFD(gfn: 0x10))
        #expect(!f.assigned)
        #expect(!f.validated)
        #expect(f.present)
        #expect(f.pins == 0)
        // Set directly: no action, no outcome.
        let (w, o) = t.world.drain()
        #expect(w.isEmpty)
        #expect(o.isEmpty)
    }

    @Test(arguments: [true, false], [true, false])
    func privatePage(upm: Bool, unmap: Bool) {
        let t = Harness([decl("p", 0x10, .private)],
                        ["upm \(upm ? "on" : "off")", "directmap-unmap \(unmap ? "on" : "off")", "asid 5"])
        if upm {
            #expect(t.privatePFN("p") == 0x100)
            #expect(t.sharedPFN("p") == nil)
            #expect(t.frame(pfn: 0x100).owner == .privateFD(gfn: 0x10))
        } else {
            #expect(t.sharedPFN("p") == 0x100)
            #expect(t.privatePFN("p") == nil)
            #expect(t.frame(pfn: 0x100).owner == .sharedFD(gfn: 0x10))
        }
        #expect(t.page("p").attribute == .private)
        #expect(t.nptPFN("p") == 0x100)
        #expect(t.nptKind("p") == .private)
        #expect(t.page("p").guestView == .private)
        let f = t.frame(pfn: 0x100)
        #expect(f.assigned)
        #expect(f.asid == 5)
        #expect(f.rmpGFN == 0x10)
        #expect(f.validated)
        #expect(f.present == !unmap)
    }

    @Test(arguments: [true, false])
    func unbackedPage(upm: Bool) {
        let t = Harness([decl("u", 0x20, .unbacked)], ["upm \(upm ? "on" : "off")"])
        #expect(t.sharedPFN("u") == nil)
        #expect(t.privatePFN("u") == nil)
        #expect(t.page("u").attribute == .shared)
        #expect(t.page("u").npt == nil)
        #expect(t.page("u").guestView == .shared)
        #expect(t.world.watermark == 0)
        #expect(t.world.freeCount == 64)
    }

    @Test func rmpupdateFailDoesNotApplyToTheInitialState() {
        let t = Harness([decl("p", 0x10, .private)], ["rmpupdate fail", "kmap-guard on"])
        #expect(t.frame(pfn: 0x100).assigned)
        #expect(t.frame(pfn: 0x100).validated)
    }

    @Test func pagesAreBackedInDeclarationOrderLowestFirst() {
        let t = Harness([decl("b", 0x50, .shared), decl("a", 0x10, .private, count: 2),
                         decl("u", 0x20, .unbacked), decl("c", 0x30, .shared)])
        #expect(t.sharedPFN("b") == 0x100)
        #expect(t.privatePFN("a", 0) == 0x101)
        #expect(t.privatePFN("a", 1) == 0x102)
        #expect(t.frame(pfn: 0x102).rmpGFN == 0x11)
        #expect(t.sharedPFN("c") == 0x103)
        #expect(t.world.freeCount == 64 - 4)
        #expect(t.brokenInvariants().isEmpty)
    }

    /// Frees a (0x100) then c (0x102); the next allocations show the policy.
    @Test(arguments: ["lifo", "lowest"])
    func allocatorPolicyAfterFrees(policy: String) {
        var t = Harness([decl("a", 0x10, .shared), decl("b", 0x11, .shared), decl("c", 0x12, .shared),
                         decl("u", 0x20, .unbacked), decl("v", 0x21, .unbacked), decl("w", 0x22, .unbacked)],
                        ["allocator \(policy)"])
        #expect(t.run(["vmm discard a shared", "vmm discard c shared"]).isEmpty)
        #expect(t.frame(pfn: 0x100).owner == .free)
        #expect(t.frame(pfn: 0x102).owner == .free)
        t.run(["vmm alloc u shared", "vmm alloc v shared", "vmm alloc w shared"])
        if policy == "lifo" {
            #expect(t.sharedPFN("u") == 0x102)
            #expect(t.sharedPFN("v") == 0x100)
        } else {
            #expect(t.sharedPFN("u") == 0x100)
            #expect(t.sharedPFN("v") == 0x102)
        }
        #expect(t.sharedPFN("w") == 0x103)
        #expect(t.frame(pfn: 0x103).owner == .sharedFD(gfn: 0x22))
    }

    @Test(arguments: ["vmm alloc u shared", "vmm alloc u private", "kvm map u via=kmap", "kvm fault-in u",
                      "guest write u", "vmm write u", "host alloc obj", "kvm rmpupdate u private"])
    func outOfMemoryWhenThePoolIsEmpty(op: String) throws {
        var t = Harness([decl("a", 0x10, .shared), decl("b", 0x11, .private), decl("u", 0x20, .unbacked)],
                        pfns: 0x100...0x101)
        #expect(t.world.freeCount == 0)
        let before = t.world.frames
        let o = t.run(op)
        #expect(t.kinds(o) == [.outOfMemory])
        let oom = try #require(o.first)
        #expect(oom.severity == .fatal)
        #expect(oom.page == (op.contains("obj") ? "obj" : "u"))
        if !op.contains("obj") { #expect(oom.gfn == 0x20) }
        #expect(t.world.frames == before)
        #expect(t.sharedPFN("u") == nil)
        #expect(t.privatePFN("u") == nil)
        #expect(t.page("u").npt == nil)
    }

    @Test func outOfMemoryStopsARangeOperation() {
        var t = Harness([decl("u", 0x20, .unbacked, count: 3)], pfns: 0x100...0x101)
        let o = t.run("vmm alloc u shared")
        #expect(t.kinds(o) == [.outOfMemory])
        #expect(o.first?.gfn == 0x22)
        #expect(t.sharedPFN("u", 0) == 0x100)
        #expect(t.sharedPFN("u", 1) == 0x101)
        #expect(t.sharedPFN("u", 2) == nil)
    }

    /// Frame and gfn numbers as every table prints them.
    @Test(arguments: [(0, "0x0"), (0xF, "0xf"), (0x10, "0x10"), (0xA0B, "0xa0b"), (0x1_0000_0000, "0x100000000"),
                      (Int.max, "0x7fffffffffffffff"), (-1, "-1")])
    func hexNumbers(n: Int, text: String) {
        #expect(hex(n) == text)
        if n >= 0 { #expect(hex(n) == "0x" + String(n, radix: 16)) }
    }
}
