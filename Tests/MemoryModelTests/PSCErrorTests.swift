import MemoryModel
import Testing
import TestSupport

/// memory-model.md, `kvm resume` under `psc-error` (stale on thread, terminate on v5 and
/// mainline), and `vmm refuse`. A request fails when its page met `conversion-refused` or
/// `rmpupdate-failed` since the request was made, or when the VMM refused it.
@Suite struct PSCErrorTests {
    /// How the failed requests are made to fail.
    enum Failure: String, CaseIterable, Sendable {
        case refuse, rmpupdateFail, guardRefused
    }

    /// Four shared pages, declared out of gfn order. b (0x11) and c (0x12) fail; a and d succeed.
    static func scene(_ kernel: String, _ failure: Failure, _ extra: [String] = []) -> Harness {
        var settings = ["kernel \(kernel)"] + extra
        switch failure {
        case .refuse: if kernel == "v5" { settings.append("upm on") }
        case .rmpupdateFail: settings.append("rmpupdate fail")
        case .guardRefused: settings += ["kmap-guard on", "upm off"]
        }
        var t = Harness([decl("d", 0x13, .shared), decl("c", 0x12, .shared), decl("a", 0x10, .shared),
                         decl("b", 0x11, .shared)], settings)
        if failure == .guardRefused { t.run(["host map c via=kmap", "host map b via=pin"]) }
        for n in ["d", "c", "a", "b"] { #expect(t.run("guest psc \(n) private").isEmpty) }
        switch failure {
        case .refuse:
            for n in ["d", "c", "a", "b"] { t.run("kvm exit \(n)") }
            #expect(t.run(["vmm refuse c", "vmm refuse b"]).isEmpty)
        case .rmpupdateFail:
            #expect(t.kinds(t.run(["kvm rmpupdate c private", "kvm rmpupdate b private"])) == [.rmpupdateFailed, .rmpupdateFailed])
        case .guardRefused:
            #expect(t.run(["kvm rmpupdate a private", "kvm rmpupdate d private"]).isEmpty)
            #expect(t.kinds(t.run(["kvm rmpupdate c private", "kvm rmpupdate b private"])) == [.conversionRefused, .conversionRefused])
        }
        return t
    }

    @Test(arguments: ["thread", "v5", "mainline"], Failure.allCases)
    func resumeByKernel(kernel: String, failure: Failure) throws {
        var t = Self.scene(kernel, failure)
        let o = t.run("kvm resume")
        // The others complete either way; the failed views stay.
        for n in ["a", "d"] { #expect(t.page(n).guestView == .private, "\(n)") }
        for n in ["b", "c"] { #expect(t.page(n).guestView == .shared, "\(n)") }
        if kernel == "thread" {
            #expect(o.isEmpty)
            #expect(!t.stopped)
        } else {
            #expect(t.kinds(o) == [.guestTerminated])
            let r = try #require(o.first)
            #expect(r.severity == .fatal)
            #expect(r.page == "b" && r.gfn == 0x11)
            #expect(t.stopped)
        }
    }

    /// An explicit `psc-error` wins over the kernel.
    @Test(arguments: Failure.allCases)
    func explicitPSCErrorWins(failure: Failure) throws {
        var thread = Self.scene("thread", failure, ["psc-error terminate"])
        let o = thread.run("kvm resume")
        #expect(thread.kinds(o) == [.guestTerminated])
        #expect(o.first?.page == "b")
        #expect(thread.page("a").guestView == .private && thread.page("d").guestView == .private)
        for kernel in ["v5", "mainline"] {
            var t = Self.scene(kernel, failure, ["psc-error stale"])
            #expect(t.run("kvm resume").isEmpty, "\(kernel)")
            #expect(t.page("b").guestView == .shared && t.page("a").guestView == .private, "\(kernel)")
        }
    }

    /// The lowest failed gfn is named, whichever page failed first or was declared first.
    @Test func terminationNamesTheLowestFailedGFN() throws {
        var t = Harness([decl("hi", 0x40, .shared), decl("lo", 0x20, .shared), decl("ok", 0x10, .shared)], ["kernel mainline"])
        t.run(["guest psc hi private", "guest psc lo private", "guest psc ok private",
               "kvm exit hi", "kvm exit lo", "kvm exit ok", "vmm refuse hi", "vmm refuse lo"])
        let o = t.run("kvm resume")
        #expect(t.kinds(o) == [.guestTerminated])
        #expect(o.first?.page == "lo" && o.first?.gfn == 0x20)
        #expect(t.page("ok").guestView == .private)
    }

    /// A shared request fails the same way: the guest's view stays private although PVALIDATE off ran.
    @Test(arguments: ["thread", "mainline"])
    func aFailedRequestToSharedKeepsThePrivateView(kernel: String) {
        var t = Harness([decl("p", 0x10, .private)], ["kernel \(kernel)", "rmpupdate fail"])
        t.run(["guest psc p shared", "kvm exit p"])
        #expect(!t.frame(pfn: 0x100).validated)
        #expect(t.kinds(t.run("kvm rmpupdate p shared")) == [.rmpupdateFailed])
        let o = t.run("kvm resume")
        #expect(t.kinds(o) == (kernel == "thread" ? [] : [.guestTerminated]))
        #expect(t.page("p").guestView == .private)
        #expect(t.frame(pfn: 0x100).assigned)
    }

    /// A failure at `kvm fault-in` counts too: the page met rmpupdate-failed after its request.
    @Test func aFaultInThatFailsFailsThePendingRequest() throws {
        var t = Harness([decl("u", 0x20, .unbacked)], ["kernel mainline", "rmpupdate fail"])
        t.run(["guest psc u private", "kvm exit u", "vmm convert u private"])
        #expect(t.kinds(t.run("kvm fault-in u")) == [.rmpupdateFailed])
        let o = t.run("kvm resume")
        #expect(t.kinds(o) == [.guestTerminated])
        #expect(o.first?.page == "u" && o.first?.gfn == 0x20)
    }

    /// A failure before the request was made does not fail it.
    @Test(arguments: ["v5", "mainline"])
    func aFailureBeforeTheRequestDoesNotCount(kernel: String) {
        var t = Harness([decl("p", 0x10, .shared)], ["kernel \(kernel)", "rmpupdate fail"])
        #expect(t.kinds(t.run("kvm rmpupdate p private")) == [.rmpupdateFailed])
        t.run("guest psc p private")
        #expect(t.page("p").pending?.failed == false)
        #expect(t.run("kvm resume").isEmpty)
        #expect(t.page("p").guestView == .private)
        #expect(t.page("p").pending == nil)
        // A request made again after its failure starts clean.
        t.run(["guest psc p shared", "kvm rmpupdate p shared"])
        #expect(t.page("p").pending?.failed == true)
        t.run("guest psc p shared")
        #expect(t.page("p").pending?.failed == false)
        #expect(t.run("kvm resume").isEmpty)
        #expect(t.page("p").guestView == .shared)
    }

    /// `vmm refuse` with nothing pending changes nothing, and is not remembered for a later request.
    @Test(arguments: ["thread", "mainline"])
    func refuseWithNoPendingRequestChangesNothing(kernel: String) {
        var t = Harness([decl("p", 0x10, .shared), decl("q", 0x11, .private)], ["kernel \(kernel)"])
        let frames = t.world.frames, pages = t.world.pages
        #expect(t.run(["vmm refuse p", "vmm refuse q"]).isEmpty)
        #expect(t.world.frames == frames)
        #expect(t.world.pages == pages)
        t.run(["guest psc p private", "kvm exit p"])
        #expect(t.run("kvm resume").isEmpty)
        #expect(t.page("p").guestView == .private)
    }

    /// `vmm refuse P` fails only P's request.
    @Test func refuseFailsOnlyItsPage() {
        var t = Harness([decl("p", 0x10, .shared), decl("q", 0x11, .shared)], ["kernel mainline"])
        t.run(["guest psc p private", "guest psc q private", "kvm exit p", "kvm exit q", "vmm refuse q"])
        #expect(t.page("p").pending?.failed == false)
        #expect(t.page("p").pending?.refused == false)
        let o = t.run("kvm resume")
        #expect(t.kinds(o) == [.guestTerminated])
        #expect(o.first?.page == "q")
        #expect(t.page("p").guestView == .private)
        #expect(t.page("q").guestView == .shared)
    }

    /// A resume with every request completed is not a termination, under any kernel.
    @Test(arguments: ["thread", "mainline"])
    func aResumeWithNoFailureDoesNotTerminate(kernel: String) {
        var t = Harness([decl("p", 0x10, .shared), decl("q", 0x11, .private)], ["kernel \(kernel)"])
        t.run(["guest psc p private", "guest psc q shared", "kvm exit p", "kvm exit q"])
        #expect(t.run(["vmm convert p private", "vmm convert q shared"]).isEmpty)
        #expect(t.run("kvm resume").isEmpty)
        #expect(t.page("p").guestView == .private)
        #expect(t.page("q").guestView == .shared)
        #expect(t.run("kvm resume").isEmpty)
    }
}
