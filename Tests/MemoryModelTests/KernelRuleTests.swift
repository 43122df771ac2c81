import MemoryModel
import Testing
import TestSupport

/// memory-model.md, Kernels and the settings they default: `kvm-map`, `gmem-alloc`, `panic-on-oops`
/// and `directmap-unmap` as each kernel sets them, run under thread, v5 and mainline. Written from
/// the spec's tables, not from the code.
@Suite struct KernelRuleTests {
    static let kernels = ["thread", "v5", "mainline"]

    // MARK: kvm-map

    /// `kvm map P` with no `via=`: kmap under thread, pin under v5 and mainline; an explicit
    /// `kvm-map` wins whatever the order of the lines; `host map P` with no `via=` is always kmap.
    static let kvmMapCases: [(settings: [String], kvm: Via)] = [
        (["kernel thread"], .kmap),
        (["kernel v5"], .pin),
        (["kernel mainline"], .pin),
        (["kernel thread", "kvm-map pin"], .pin),
        (["kvm-map pin", "kernel thread"], .pin),
        (["kernel v5", "kvm-map kmap"], .kmap),
        (["kvm-map kmap", "kernel mainline"], .kmap),
        (["kernel mainline", "kvm-map pin"], .pin),
    ]

    @Test(arguments: kvmMapCases)
    func kvmMapWithNoViaFollowsTheKvmMapSetting(settings: [String], kvm: Via) throws {
        var t = Harness([decl("p", 0x10, .shared)], settings)
        let ref = PageRef.guest(slot: t.slot("p"))
        #expect(t.actions(of: "kvm map p") == [.map(.kvm, ref, kvm)])
        #expect(t.actions(of: "host map p") == [.map(.host, ref, .kmap)])
        #expect(t.run("kvm map p").isEmpty)
        let m = try #require(t.mapping(.kvm, "p"))
        #expect(m.via == kvm)
        #expect(t.pfn(m.frame) == 0x100)
        #expect(t.frame(pfn: 0x100).pins == (kvm == .pin ? 1 : 0))
        #expect(t.run("host map p").isEmpty)
        #expect(t.mapping(.host, "p")?.via == .kmap)
        // host's kmap adds no reference.
        #expect(t.frame(pfn: 0x100).pins == (kvm == .pin ? 1 : 0))
        // An explicit via= is not overridden by the setting.
        t.run("kvm map p via=page_address")
        #expect(t.mapping(.kvm, "p")?.via == .pageAddress)
        #expect(t.frame(pfn: 0x100).pins == 0)
    }

    /// A pinned frame outlives its file (an orphan); a kmapped one is freed under KVM's feet.
    @Test(arguments: kernels)
    func theDefaultKvmMapDecidesWhetherADiscardedFrameIsFreed(kernel: String) {
        var t = Harness([decl("p", 0x10, .shared)], ["kernel \(kernel)"])
        t.run(["kvm map p", "vmm discard p shared"])
        let pinned = kernel != "thread"
        #expect(t.frame(pfn: 0x100).owner == (pinned ? .orphan(gfn: 0x10) : .free))
        #expect(t.page("p").orphans == (pinned ? 1 : 0))
        #expect(t.freeFrames().contains(0) == !pinned)
        #expect(t.kinds(t.run("kvm write p")) == (pinned ? [.lostWrite] : [.useAfterFree]))
        #expect(t.brokenInvariants().isEmpty)
    }

    // MARK: gmem-alloc

    /// `vmm convert`: set-attr, then `alloc` with eager, then `discard` with discard-on-convert: 1 to 3 actions.
    @Test(arguments: ["thread", "mainline"], ["on", "off"])
    func convertSplitsByGmemAllocAndDiscardOnConvert(kernel: String, discard: String) {
        for alloc in ["kernel", "eager", "lazy"] {
            var settings = ["kernel \(kernel)", "discard-on-convert \(discard)"]
            if alloc != "kernel" { settings.append("gmem-alloc \(alloc)") }
            let t = Harness([decl("p", 0x10, .shared, count: 2)], settings)
            let lazy = alloc == "lazy" || (alloc == "kernel" && kernel == "mainline")
            var want: [PageAction] = []
            for i in 0...1 {
                let s = Int32(t.slot("p", i))
                want.append(.setAttr(slot: s, .private))
                if !lazy { want.append(.alloc(slot: s, .private)) }
                if discard == "on" { want.append(.discard(slot: s, .shared)) }
            }
            #expect(t.actions(of: "vmm convert p private") == want, "\(settings)")
            let op = operation("vmm convert p private", t.world.layout)
            #expect(op.actionCount(geometry: t.world.geometry, config: t.world.config) == want.count, "\(settings)")
        }
    }

    @Test(arguments: ["thread", "mainline"])
    func lazyConvertLeavesThePrivateFDAHole(kernel: String) {
        var t = Harness([decl("p", 0x10, .shared)], ["kernel \(kernel)", "gmem-alloc lazy"])
        #expect(t.run("vmm convert p private").isEmpty)
        #expect(t.page("p").attribute == .private)
        #expect(t.privatePFN("p") == nil)
        #expect(t.sharedPFN("p") == 0x100)
        #expect(t.page("p").npt == nil)
        #expect(t.world.watermark == 1)
        #expect(t.page("p").backingCount == 1)
        // The same under eager allocates at once: double allocation.
        var e = Harness([decl("p", 0x10, .shared)], ["kernel \(kernel)", "gmem-alloc eager"])
        e.run("vmm convert p private")
        #expect(e.privatePFN("p") == 0x101)
        #expect(e.page("p").backingCount == 2)
        #expect(!e.frame(pfn: 0x101).assigned)
    }

    /// Under lazy the first `kvm fault-in` allocates the private frame and makes it private
    /// (Assigned=1, ASID, GPA, Validated=0), removed from the direct map only with directmap-unmap on.
    @Test(arguments: ["thread", "mainline"])
    func lazyPrivateFrameIsAllocatedAtFaultIn(kernel: String) {
        var t = Harness([decl("p", 0x10, .shared)], ["kernel \(kernel)", "gmem-alloc lazy", "discard-on-convert on", "asid 4"])
        t.run("vmm convert p private")
        #expect(t.privatePFN("p") == nil)
        #expect(t.sharedPFN("p") == nil)
        #expect(t.frame(pfn: 0x100).owner == .free)
        #expect(t.run("kvm fault-in p").isEmpty)
        // LIFO: the shared frame just freed comes back as the private one.
        #expect(t.privatePFN("p") == 0x100)
        let f = t.frame(pfn: 0x100)
        #expect(f.owner == .privateFD(gfn: 0x10))
        #expect(f.assigned && f.asid == 4 && f.rmpGFN == 0x10 && !f.validated)
        #expect(f.present == (kernel == "mainline"))
        #expect(t.nptPFN("p") == 0x100)
        #expect(t.nptKind("p") == .private)
        #expect(t.brokenInvariants().isEmpty)
    }

    /// Under lazy a private guest access allocates the frame (guest_memfd's first private fault):
    /// the frame is private but not validated, so the access is a #VC until PVALIDATE.
    @Test(arguments: ["thread", "mainline"], ["read", "write"])
    func lazyPrivateFrameIsAllocatedByAPrivateGuestAccess(kernel: String, access: String) throws {
        var t = Harness([decl("p", 0x10, .shared)], ["kernel \(kernel)", "gmem-alloc lazy"])
        t.run("vmm convert p private")
        let o = t.run("guest \(access) p private")
        #expect(t.kinds(o) == [.guestVC])
        let pfn = try #require(t.privatePFN("p"))
        #expect(pfn == 0x101)
        #expect(o.first?.frame == pfn)
        let f = t.frame(pfn: pfn)
        #expect(f.assigned && f.rmpGFN == 0x10 && !f.validated)
        #expect(t.nptPFN("p") == pfn && t.nptKind("p") == .private)
        #expect(t.run("guest pvalidate p on").isEmpty)
        #expect(t.frame(pfn: pfn).validated)
        #expect(t.run("guest \(access) p private").isEmpty)
    }

    /// Lazy also applies to a conversion to shared: the shared fd is filled by the first shared use.
    @Test func lazyConvertToSharedFillsTheSharedFDAtFirstUse() {
        var t = Harness([decl("p", 0x10, .private)], ["kernel mainline", "discard-on-convert on"])
        #expect(t.actions(of: "vmm convert p shared").count == 2)
        t.run("vmm convert p shared")
        #expect(t.privatePFN("p") == nil && t.sharedPFN("p") == nil)
        #expect(t.frame(pfn: 0x100).owner == .free && !t.frame(pfn: 0x100).assigned)
        #expect(t.run("guest write p shared").isEmpty)
        #expect(t.sharedPFN("p") == 0x100)
        #expect(t.nptKind("p") == .shared)
        #expect(!t.frame(pfn: 0x100).assigned)
    }

    // MARK: panic-on-oops and directmap-unmap, per kernel

    /// Without UPM the private frame is what other kernel code maps. The same write faults on
    /// every kernel; thread and v5 (direct map removed) take a not-present #PF and panic; mainline
    /// (entry kept) takes an RMP violation and only oopses.
    @Test(arguments: kernels)
    func theSameKernelWriteEndsPerKernel(kernel: String) throws {
        var t = Harness([decl("p", 0x10, .private)], ["kernel \(kernel)", "upm off"])
        #expect(t.frame(pfn: 0x100).present == (kernel == "mainline"))
        #expect(t.run("host map p").isEmpty)
        let o = t.run("host write p")
        #expect(t.kinds(o) == [kernel == "mainline" ? .oops : .hostPanic])
        let r = try #require(o.first)
        #expect(r.severity == .fatal)
        #expect(t.stopped)
        let fault = try #require(r.fault)
        #expect(fault.kind == (kernel == "mainline" ? .rmpViolation : .notPresent))
        #expect(fault.write && fault.holder == .host && fault.via == .kmap && fault.frame == 0x100)
    }

    /// A read of an assigned frame faults only when the direct map entry is gone.
    @Test(arguments: kernels)
    func theSameKernelReadEndsPerKernel(kernel: String) throws {
        var t = Harness([decl("p", 0x10, .private)], ["kernel \(kernel)", "upm off"])
        t.run("host map p via=page_address")
        let o = t.run("host read p")
        if kernel == "mainline" {
            #expect(t.kinds(o) == [.ciphertextRead])
            #expect(!t.stopped)
        } else {
            #expect(t.kinds(o) == [.hostPanic])
            #expect(o.first?.fault?.kind == .notPresent)
            #expect(o.first?.fault?.write == false)
        }
    }

    /// Explicit settings win over the kernel's panic-on-oops and directmap-unmap.
    static let explicitFaultCases: [(settings: [String], kind: OutcomeKind, fault: FaultKind)] = [
        (["kernel mainline", "panic-on-oops on"], .hostPanic, .rmpViolation),
        (["kernel v5", "panic-on-oops off"], .oops, .notPresent),
        (["kernel thread", "panic-on-oops off", "directmap-unmap off"], .oops, .rmpViolation),
        (["directmap-unmap on", "kernel mainline"], .oops, .notPresent),
        (["kernel v5", "directmap-unmap off"], .hostPanic, .rmpViolation),
    ]

    @Test(arguments: explicitFaultCases)
    func explicitPanicOnOopsAndDirectmapUnmapWin(settings: [String], kind: OutcomeKind, fault: FaultKind) {
        var t = Harness([decl("p", 0x10, .private)], settings + ["upm off"])
        t.run("host map p via=kmap")
        let o = t.run("host write p")
        #expect(t.kinds(o) == [kind])
        #expect(o.first?.fault?.kind == fault)
    }

    // MARK: the thread's GHCB scenario

    static let ghcbSteps = ["kvm map ghcb", "guest psc ghcb private", "kvm exit ghcb", "vmm convert ghcb private"]

    /// Thread: KVM's kmap holds no reference, so the discard frees the GHCB's frame. What the
    /// stale write then does depends on who got the frame: nobody or other kernel code (a
    /// use-after-free), or the guest's private memory (a not-present #PF: host panic).
    @Test(arguments: ["none", "host", "guest"])
    func ghcbUnderThreadIsUseAfterFreeOrPanic(reuse: String) throws {
        var t = Harness([decl("ghcb", 0x10, .shared), decl("heap", 0x30, .unbacked)],
                        ["kernel thread", "discard-on-convert on"])
        #expect(t.run(Self.ghcbSteps).isEmpty)
        #expect(t.mapping(.kvm, "ghcb")?.via == .kmap)
        #expect(t.frame(pfn: 0x100).owner == .free)
        #expect(t.frame(pfn: 0x100).pins == 0)
        #expect(t.privatePFN("ghcb") == 0x101)
        switch reuse {
        case "host": t.run("host alloc obj")
        case "guest": t.run(["vmm convert heap private", "kvm fault-in heap"])
        default: break
        }
        let o = t.run("kvm write ghcb")
        if reuse == "guest" {
            #expect(t.privatePFN("heap") == 0x100)
            #expect(t.kinds(o) == [.hostPanic])
            #expect(o.first?.fault?.kind == .notPresent)
            #expect(t.stopped)
        } else {
            #expect(t.kinds(o) == [.useAfterFree])
            #expect(!t.stopped)
        }
        #expect(o.first?.page == "ghcb" && o.first?.frame == 0x100)
    }

    /// Mainline: kvm_vcpu_map() pins, so the discarded frame becomes an orphan nobody else can get;
    /// the stale write is lost, never a panic; `kvm unmap` then frees the orphan.
    @Test(arguments: [false, true])
    func ghcbUnderMainlineIsALostWriteThenTheUnmapFreesTheOrphan(reuse: Bool) throws {
        var t = Harness([decl("ghcb", 0x10, .shared), decl("heap", 0x30, .unbacked)],
                        ["kernel mainline", "discard-on-convert on"])
        #expect(t.run(Self.ghcbSteps).isEmpty)
        #expect(t.mapping(.kvm, "ghcb")?.via == .pin)
        var f = t.frame(pfn: 0x100)
        #expect(f.owner == .orphan(gfn: 0x10) && f.pins == 1)
        #expect(t.page("ghcb").orphans == 1)
        #expect(t.privatePFN("ghcb") == nil)  // lazy: nothing allocated yet
        if reuse {
            t.run(["vmm convert heap private", "kvm fault-in heap"])
            #expect(t.privatePFN("heap") == 0x101)
        }
        let o = t.run("kvm write ghcb")
        #expect(t.kinds(o) == [.lostWrite])
        #expect(o.first?.page == "ghcb" && o.first?.frame == 0x100)
        #expect(!t.stopped)
        #expect(t.run("kvm resume").isEmpty)
        #expect(t.page("ghcb").guestView == .private)
        #expect(t.run("kvm unmap ghcb").isEmpty)
        f = t.frame(pfn: 0x100)
        #expect(f.owner == .free && f.pins == 0)
        #expect(t.page("ghcb").orphans == 0)
        #expect(t.freeFrames().contains(0))
        #expect(t.brokenInvariants().isEmpty)
    }

    /// The thread's kmap on mainline's kernel: the reused frame stays in the direct map, so the
    /// stale write is an RMP violation, and it oopses instead of panicking.
    @Test(arguments: ["thread", "mainline"])
    func ghcbWithAnExplicitKmapEndsPerKernel(kernel: String) throws {
        var t = Harness([decl("ghcb", 0x10, .shared), decl("heap", 0x30, .unbacked)],
                        ["kernel \(kernel)", "discard-on-convert on"])
        t.run(["kvm map ghcb via=kmap", "guest psc ghcb private", "kvm exit ghcb", "vmm convert ghcb private",
               "vmm convert heap private", "kvm fault-in heap"])
        #expect(t.privatePFN("heap") == 0x100)
        #expect(t.frame(pfn: 0x100).assigned)
        let o = t.run("kvm write ghcb")
        #expect(t.kinds(o) == [kernel == "mainline" ? .oops : .hostPanic])
        #expect(o.first?.fault?.kind == (kernel == "mainline" ? .rmpViolation : .notPresent))
        #expect(o.first?.fault?.via == .kmap)
    }
}
