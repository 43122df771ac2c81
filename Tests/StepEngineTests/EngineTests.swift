import MemoryModel
import SceneLanguage
import StepEngine
import Testing
import TestSupport

@Suite struct GHCBScenarioTests {
    static let variants: [(name: String, settings: [String], expect: [String])] = [
        ("keep", ["discard-on-convert off"], ["double-allocation ghcb at=4", "no host-panic"]),
        ("discard", ["discard-on-convert on"], ["host-panic ghcb at=10", "no double-allocation"]),
    ]

    @Test func oneTracePerVariantInOrder() throws {
        let traces = Engine.runAll(ghcbScene(variants: Self.variants))
        #expect(traces.count == 2)
        #expect(traces.map { $0.variant?.name } == ["keep", "discard"])
        #expect(traces.map(\.variantIndex) == [0, 1])
        #expect(traces.map(\.config.discardOnConvert) == [false, true])
        #expect(traces.allSatisfy { $0.config.upm })
        // Without variants: one run of the declared config.
        let single = Engine.runAll(ghcbScene(config: ["allocator lowest"]))
        #expect(single.count == 1)
        #expect(single[0].variant == nil)
        #expect(single[0].config.allocator == .lowest)
    }

    @Test func withoutDiscardTheEndingIsADoubleAllocationOfGHCB() throws {
        let t = Engine.run(ghcbScene(variants: Self.variants), variant: 0)
        #expect(t.stepsRun == 10)
        #expect(t.kinds == [.doubleAllocation])
        #expect(!t.kinds.contains(.hostPanic))
        let d = try #require(t.ending.raised)
        #expect(t.ending.description == "double-allocation")
        #expect(d.outcome.kind == .doubleAllocation)
        #expect(d.outcome.page == "ghcb")
        #expect(d.outcome.gfn == 0x10)
        #expect(d.step == 3)
        #expect(d.action == t.actions(ofStep: 3).upperBound - 1)
        #expect(t.actions(ofStep: 3).count == 2)
        #expect(t.actionCount == 14)
        #expect(t.passed)
        #expect(t.expectations.count == 2)
        // ghcb keeps both frames; the kernel write lands on its shared frame, still in the file.
        let end = t.world(after: t.actionCount - 1)
        let ghcb = end.pages[0]
        #expect(ghcb.sharedFrame >= 0 && ghcb.privateFrame >= 0)
        #expect(end.frames[Int(ghcb.sharedFrame)].present)
    }

    @Test func withDiscardTheKernelWriteHitsHeapsPrivateFrame() throws {
        let t = Engine.run(ghcbScene(variants: Self.variants), variant: 1)
        let ghcbShared = try #require(Optional(t.initial.pages[0].sharedFrame))
        #expect(t.initial.geometry.pfn(ghcbShared) == 0x100)
        #expect(t.kinds == [.hostPanic])
        #expect(!t.kinds.contains(.doubleAllocation))
        let p = try #require(t.ending.raised)
        #expect(t.ending.description == "host-panic")
        #expect(p.step == 9)
        #expect(p.action == t.actionCount - 1)
        #expect(t.actionCount == 16)
        #expect(p.outcome.page == "ghcb")
        #expect(p.outcome.frame == 0x100)
        let fault = try #require(p.outcome.fault)
        #expect(fault.kind == .notPresent)
        #expect(fault.holder == .kvm)
        #expect(fault.via == .kmap)
        #expect(fault.write)
        #expect(p.outcome.reason.contains("not-present"))
        #expect(p.outcome.reason.contains("0x100"))
        #expect(p.outcome.reason.contains("kvm") && p.outcome.reason.contains("kmap"))
        // The frame ghcb's shared fd had is heap's private memory now (LIFO reuse).
        let before = t.world(after: p.action - 1)
        let heap = before.pages[1]
        #expect(before.geometry.pfn(heap.privateFrame) == 0x100)
        #expect(before.frames[Int(ghcbShared)].owner == .privateFD(gfn: 0x30))
        #expect(before.frames[Int(ghcbShared)].assigned)
        #expect(!before.frames[Int(ghcbShared)].present)
        #expect(t.passed)
    }

    @Test func pfFixupTurnsThePanicIntoAUseAfterFree() {
        let t = Engine.run(ghcbScene(config: ["discard-on-convert on", "pf-fixup flip-shared"]), variant: nil)
        #expect(t.kinds == [.pfFixup, .useAfterFree])
        #expect(t.ending.description == "use-after-free")
        #expect(t.stepsRun == 10)
    }

    @Test func theGuardRefusesHeapsConversion() {
        let t = Engine.run(ghcbScene(config: ["discard-on-convert on", "kmap-guard on"]), variant: nil)
        #expect(t.kinds.first == .conversionRefused)
        #expect(t.outcomes.first?.step == 8)
        #expect(!t.kinds.contains(.hostPanic))
    }
}

@Suite struct EngineTests {
    /// A scene that exercises most operations, for determinism.
    static func busyScene() -> Scene {
        scene([decl("a", 0x10, .shared, count: 4), decl("b", 0x20, .private, count: 3), decl("c", 0x30, .unbacked, count: 3)],
              config: ["discard-on-convert on"],
              steps: [["kvm map a[1] via=pin", "host map b[0] via=kmap"], ["guest psc a private", "kvm exit a"],
                      ["vmm convert a private", "kvm resume"], ["guest pvalidate a on", "guest write a"],
                      ["guest psc b shared", "kvm exit b", "vmm convert b shared", "kvm resume"],
                      ["host alloc obj", "host write obj", "vmm write c", "kvm fault-in c"], [],
                      ["kvm unmap a[1]", "host write b[0]", "vmm discard c shared", "vmm alloc c private"]],
              variants: [("one", [], []), ("two", ["allocator lowest", "discard-on-convert off"], [])])
    }

    @Test(arguments: [0, 1])
    func twoRunsOfTheSameSceneAreEqual(variant: Int) {
        let s = Self.busyScene()
        let x = Engine.run(s, variant: variant), y = Engine.run(s, variant: variant)
        #expect(x.actionCount == y.actionCount)
        #expect(x.actionCount > 30)
        #expect(x.records.map(\.action) == y.records.map(\.action))
        #expect(x.records.map(\.step) == y.records.map(\.step))
        #expect(x.outcomes == y.outcomes)
        #expect(x.ending == y.ending)
        #expect(x.stepStart == y.stepStart)
        for i in -1..<x.actionCount {
            #expect(sameState(x.world(after: i), y.world(after: i)), "action \(i)")
        }
        #expect(!x.outcomes.contains { $0.outcome.kind == .invariantBroken })
    }

    @Test func variantsRunTheirOwnConfig() {
        let traces = Engine.runAll(Self.busyScene())
        #expect(traces[0].config.allocator == .lifo && traces[0].config.discardOnConvert)
        #expect(traces[1].config.allocator == .lowest && !traces[1].config.discardOnConvert)
        // Convert is three actions per page in the first variant, two in the second.
        #expect(traces[0].actions(ofStep: 2).count == 4 * 3 + 1)
        #expect(traces[1].actions(ofStep: 2).count == 4 * 2 + 1)
    }

    @Test func aStepWithoutOperationsHasOneAction() {
        let t = Engine.run(Self.busyScene(), variant: 0)
        #expect(t.actions(ofStep: 6).count == 1)
        #expect(t.records[t.actions(ofStep: 6).lowerBound].action == .narrate)
    }

    @Test func aFatalOutcomeStopsTheRun() throws {
        let s = scene([decl("p", 0x10, .private), decl("u", 0x20, .unbacked)], config: ["upm off"],
                      steps: [["kvm map p via=kmap"], ["kvm write p", "vmm alloc u shared"], ["vmm alloc u shared"],
                              ["guest write p"]])
        let t = Engine.run(s, variant: nil)
        #expect(t.kinds == [.hostPanic])
        #expect(t.stepsRun == 2)
        #expect(t.isReached(step: 0) && t.isReached(step: 1))
        #expect(!t.isReached(step: 2) && !t.isReached(step: 3))
        #expect(t.actions(ofStep: 2).isEmpty)
        #expect(t.actions(ofStep: 3).isEmpty)
        // The operation after the fatal one in the same step did not run either.
        #expect(t.actions(ofStep: 1).count == 1)
        #expect(t.actionCount == 2)
        #expect(t.world(after: t.actionCount - 1).pages[1].sharedFrame < 0)
        #expect(t.ending.raised?.outcome.kind == .hostPanic)
    }

    @Test func outOfMemoryStopsInTheMiddleOfARange() {
        let s = scene([decl("u", 0x20, .unbacked, count: 4)], pfns: 0x100...0x101,
                      steps: [["vmm alloc u shared"], ["vmm write u"]])
        let t = Engine.run(s, variant: nil)
        #expect(t.kinds == [.outOfMemory])
        #expect(t.actionCount == 3)
        #expect(t.outcomes.first?.outcome.gfn == 0x22)
        #expect(t.stepsRun == 1)
        #expect(!t.isReached(step: 1))
    }

    @Test func doubleAllocationOnceWhenItBeginsAgainAfterItEnds() throws {
        let s = scene([decl("p", 0x10, .shared), decl("q", 0x11, .shared)],
                      steps: [["vmm alloc p private"], ["vmm write p"], ["vmm alloc p private"],
                              ["vmm discard p private"], ["vmm write q"], ["vmm alloc p private"],
                              ["vmm alloc q private", "vmm discard q private"]])
        let t = Engine.run(s, variant: nil)
        let d = t.outcomes.filter { $0.outcome.kind == .doubleAllocation }
        #expect(d.map(\.step) == [0, 5])
        #expect(d.allSatisfy { $0.outcome.page == "p" && $0.outcome.gfn == 0x10 })
        #expect(d.allSatisfy { $0.action == t.actions(ofStep: $0.step).upperBound - 1 })
        #expect(d.first?.outcome.severity == .warning)
    }

    @Test func expectationsPassAndFail() throws {
        let pages = [decl("p", 0x10, .shared), decl("buf", 0x20, .shared, count: 3)]
        let s = scene(pages,
                      steps: [["vmm alloc p private"], ["vmm alloc buf[1] private"], ["vmm write p"]],
                      expect: ["double-allocation p at=1", "double-allocation p at=2", "double-allocation buf",
                               "double-allocation buf[1] at=2", "double-allocation buf[2]", "no host-panic",
                               "no double-allocation", "no double-allocation buf[0]", "sigbus", "double-allocation"],
                      variants: [("v", [], ["no double-allocation p at=2", "no double-allocation p"])])
        let t = Engine.run(s, variant: 0)
        #expect(t.expectations.map(\.passed) == [true, false, true, true, false, true, false, true, false, true,
                                                  true, false])
        #expect(!t.passed)
        #expect(t.expectations[1].detail.contains("step 1"))
        #expect(t.expectations[8].detail.contains("not raised"))
        #expect(t.expectations[6].detail.contains("step 1"))
        #expect(t.expectations[0].text == "expect double-allocation p at=1")
        #expect(t.expectations[5].text == "expect no host-panic")
        let ok = scene(pages, steps: [["vmm alloc p private"]], expect: ["double-allocation p at=1", "no sigbus"])
        #expect(Engine.run(ok, variant: nil).passed)
    }

    @Test func endingIsCompletedWithNoOutcome() {
        let t = Engine.run(scene([decl("p", 0x10, .shared)], steps: [["vmm write p"], []]), variant: nil)
        #expect(t.ending == .completed)
        #expect(t.ending.description == "completed")
        #expect(t.outcomes.isEmpty)
    }

    @Test func endingIsTheMostSevereFirstRaised() throws {
        let pages = [decl("p", 0x10, .private), decl("q", 0x11, .private), decl("s", 0x20, .shared)]
        // info, warning (q), warning (p), info.
        let t = Engine.run(scene(pages, config: ["upm off"],
                                 steps: [["vmm read p"], ["vmm write q"], ["vmm write p", "vmm read q"]]), variant: nil)
        #expect(t.kinds == [.ciphertextRead, .sigbus, .sigbus, .ciphertextRead])
        let e = try #require(t.ending.raised)
        #expect(e.outcome.kind == .sigbus)
        #expect(e.outcome.page == "q")
        #expect(e.step == 1)
        // An error beats the warnings before it.
        let u = Engine.run(scene(pages, config: ["upm off"],
                                 steps: [["vmm write q", "kvm map s via=kmap", "vmm discard s shared", "kvm read s",
                                          "vmm write p"]]), variant: nil)
        #expect(u.kinds == [.sigbus, .useAfterFree, .sigbus])
        #expect(u.ending.raised?.outcome.kind == .useAfterFree)
    }

    @Test func endingIsTheFatalOutcome() {
        let pages = [decl("p", 0x10, .private), decl("s", 0x20, .shared)]
        let t = Engine.run(scene(pages, config: ["upm off", "panic-on-oops off"],
                                 steps: [["kvm map s via=kmap", "vmm discard s shared", "kvm write s"],
                                         ["kvm map p via=pin", "kvm write p"]]), variant: nil)
        #expect(t.kinds == [.useAfterFree, .oops])
        #expect(t.ending.description == "oops")
        #expect(t.ending.raised?.step == 1)
    }

    @Test func aCorrectRunRaisesNoInvariantBroken() {
        for t in Engine.runAll(Self.busyScene()) + Engine.runAll(ghcbScene(variants: GHCBScenarioTests.variants)) {
            #expect(!t.kinds.contains(.invariantBroken))
        }
    }
}
