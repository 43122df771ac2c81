// Issue 9, "truthful screens": a kernel access that changes no state names the frame it reached,
// what that frame is now, and where the guest's page is; counts in the narration carry a label; a
// run without UPM calls its one backing what it is.
import BuiltinScenes
import MemoryModel
import SceneLanguage
import StepEngine
import Testing

private func run(_ text: String) throws -> Trace {
    switch parseScene(text, path: "test.scene") {
    case .success(let scene): return Engine.run(scene, variant: nil)
    case .failure(let d):
        Issue.record(Comment(rawValue: d.rendered(source: text)))
        throw d
    }
}

private func builtin(_ name: String, variant: String) throws -> Trace {
    let file = try #require(BuiltinScenes.named(name))
    guard case .success(let scene) = parseScene(bytes: file.bytes, path: file.fileName) else {
        Issue.record("\(name) does not parse")
        throw CancellationError()
    }
    return try #require(Engine.runAll(scene).first { $0.variant?.name == variant })
}

/// The first action whose title is `title` (and, with `after`, the first such after that action).
private func action(_ t: Trace, _ title: String, after: Int = -1) throws -> Int {
    try #require((after + 1..<t.actionCount).first { t.title(of: $0) == title }, "no action '\(title)'")
}

@Suite struct KernelAccessNarrationTests {
    /// A page converted to private and faulted in under KVM's mapping of its old shared frame.
    static let staleShared = """
        title "stale shared frame"
        config kernel mainline
        config discard-on-convert off
        pfns 0x100..0x10f
        page p gfn=0x10 shared
        step "KVM maps p"
          kvm map p
        step "The guest converts p and uses it"
          guest psc p private
          kvm exit p
          vmm convert p private
          kvm resume
          guest pvalidate p on
        step "KVM writes, then reads"
          kvm write p
          kvm read p
        """

    @Test func aWriteIntoAStaleSharedFrameNamesTheFrameAndWhatTheGuestReads() throws {
        let t = try run(Self.staleShared)
        let i = try action(t, "kvm write p")
        #expect(t.changes(of: i).isEmpty, "the write changes no state: only the narration can tell where it went")
        #expect(t.summary(of: i) == "kvm wrote 0x100 (shared fd, no longer mapped by the guest); the guest reads 0x101")
        let r = try action(t, "kvm read p")
        #expect(t.summary(of: r) == "kvm read 0x100 (shared fd, no longer mapped by the guest); the guest reads 0x101")
    }

    @Test func aWriteTheGuestSeesSaysSo() throws {
        let t = try run("""
            title "shared"
            config kernel mainline
            pfns 0x100..0x10f
            page p gfn=0x10 shared
            step "KVM writes the shared page"
              kvm map p
              kvm write p
            """)
        #expect(t.summary(of: 1) == "kvm wrote 0x100 (shared fd, mapped by the guest); the guest reads the same frame")
    }

    /// ghcb-upm, keep: the GHCB was converted and its NPT entry zapped; the private side is a hole
    /// until the guest's first private access (gmem allocates lazily on mainline).
    @Test func ghcbKeepNamesTheSharedFrameAndTheHoleTheGuestWillFill() throws {
        let t = try builtin("ghcb-upm", variant: "keep")
        let i = try action(t, "kvm write ghcb")
        #expect(t.summary(of: i) == "kvm wrote 0x100 (shared fd, no longer mapped by the guest); "
            + "gfn 0x10 is private and its private fd has no page: the guest's next access gets a new one")
    }

    @Test func aLostWriteNamesTheOrphan() throws {
        let t = try builtin("ghcb-upm", variant: "mainline")
        let i = try action(t, "kvm write ghcb")
        #expect(t.outcomes(of: i).contains { $0.outcome.kind == .lostWrite })
        #expect(t.summary(of: i).hasPrefix("kvm wrote 0x100 (orphan of gfn 0x10, in no file); "), "\(t.summary(of: i))")
    }

    @Test func aFaultingWriteSaysItFaulted() throws {
        let t = try builtin("ghcb-upm", variant: "discard")
        let i = try action(t, "kvm write ghcb")
        #expect(t.outcomes(of: i).contains { $0.outcome.kind == .hostPanic })
        #expect(t.summary(of: i) == "kvm's write to 0x100 faulted: no state change")
    }

    @Test func aWriteIntoAFrameNowHeldForAnotherGfnNamesThatGfn() throws {
        // The discard variant of ghcb-upm on mainline's allocator, without a pin: the GHCB's old
        // frame is handed to heap; KVM's kmap still points at it (a use-after-free).
        let t = try run("""
            title "reused"
            config kernel thread
            config discard-on-convert on
            config directmap-unmap off
            pfns 0x100..0x10f
            page p gfn=0x10 shared
            page q gfn=0x30 unbacked
            step "KVM maps p, the VMM converts it and frees its frame, q gets the frame"
              kvm map p
              vmm convert p private
              vmm convert q private
            step "KVM reads p"
              kvm read p
            """)
        let i = try action(t, "kvm read p")
        let s = t.summary(of: i)
        #expect(s.hasPrefix("kvm read 0x100 (private fd of gfn 0x30"), "\(s)")
    }

    @Test func orphanCountsAreLabelled() throws {
        let t = try builtin("ghcb-upm", variant: "mainline")
        let discard = try action(t, "vmm convert ghcb private — discard shared")
        #expect(t.summary(of: discard).contains("orphans of gfn 0x10: 0 → 1"))
        let unmap = try action(t, "kvm unmap ghcb")
        #expect(t.summary(of: unmap).contains("orphans of gfn 0x10: 1 → 0"))
    }

    @Test func withoutUPMTheSharedFDIsTheMemslotBacking() throws {
        let t = try run("""
            title "v5"
            config kernel v5
            pfns 0x100..0x10f
            page p gfn=0x30 unbacked
            step "The VMM touches p"
              vmm write p
            """)
        let s = t.summary(of: 0)
        #expect(s.contains("memslot backing[0x30]: hole → 0x100"), "\(s)")
        #expect(!s.contains("shared fd"), "\(s)")
    }
}
