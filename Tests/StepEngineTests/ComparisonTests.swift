import MemoryModel
import SceneLanguage
import StepEngine
import Testing
import TestSupport

/// Two runs compared, aligned by gfn (issue 11's core): the world diff and the first divergence.
@Suite struct ComparisonTests {
    static let text = """
        title "t"
        config kernel thread
        pfns 0x100..0x10f
        page a gfn=0x10 shared
        page b gfn=0x20 shared
        step "map"
          kvm map a via=pin
        step "convert"
          guest psc a private
          kvm exit a
          vmm convert a private
        step "touch b"
          vmm write b
        variant keep "keep"
        variant discard "discard"
          set discard-on-convert on
        """

    static func traces() throws -> [Trace] {
        guard case .success(let scene) = parseScene(text, path: "t.scene") else { throw Failed() }
        return Engine.runAll(scene)
    }
    struct Failed: Error {}

    @Test func aRunComparedWithItselfNeverDiffers() throws {
        let t = try Self.traces()
        let c = RunComparison(left: t[0], right: t[0])
        #expect(c.divergence == nil)
        #expect(c.divergenceSentence == "the runs never differ")
        #expect(c.stepDifferences.allSatisfy { $0.isEmpty })
        #expect(RunComparison.differences(t[0].world(after: 2), t[0].world(after: 2)).isEmpty)
    }

    /// keep against discard: step 2 is request, VMGEXIT, exit, set-attr, alloc (keep's last), discard.
    /// They first differ after the alloc: keep's step ends there and raises double-allocation, which
    /// discard does not; at the end of the step only gfn 0x10's shared fd and orphans differ.
    @Test func aDiscardMakesExactlyTheFdRowsDiffer() throws {
        let t = try Self.traces()
        let c = RunComparison(left: t[0], right: t[1])
        let d = try #require(c.divergence)
        #expect(d.step == 1 && d.action == 4)
        #expect(d.differences.isEmpty, "the worlds are alike after the alloc")
        #expect(d.outcomes.left == ["double-allocation"] && d.outcomes.right.isEmpty)
        #expect(c.divergenceSentence == "first differs at step 2, action 5: vmm convert a private — alloc private — "
                + "left raises double-allocation, right raises nothing")
        let end = c.stepDifferences[1]
        #expect(Set(end.map(\.field)) == ["shared fd", "orphans"])
        #expect(end.allSatisfy { $0.gfn == 0x10 && $0.page == "a" })
        let shared = try #require(end.first { $0.field == "shared fd" })
        #expect(shared.left.hasPrefix("a frame") && shared.right == "hole")
        #expect(c.stepDifferences[0].isEmpty, "nothing differs after step 1")
        #expect(c.stepDifferences[2].allSatisfy { $0.gfn == 0x10 }, "gfn 0x20 is the same on both sides")
    }

    /// The allocators hand out different frames (lowest vs lifo after a free), yet the gfns line up:
    /// frame numbers are not compared, only what backs each gfn.
    @Test func alignmentIsByGfnNotByFrameNumber() throws {
        let text = TestScenes.freeAndReuse()
        guard case .success(let scene) = parseScene(text, path: "t.scene") else { throw Failed() }
        let t = Engine.runAll(scene)
        let lastL = t[0].actionCount - 1, lastR = t[1].actionCount - 1
        // b (slot 2): lifo hands out c's frame 0x101, lowest a's 0x100.
        #expect(t[0].world(after: lastL).pages[2].sharedFrame == 1)
        #expect(t[1].world(after: lastR).pages[2].sharedFrame == 0)
        let c = RunComparison(left: t[0], right: t[1])
        #expect(c.divergence == nil, "both give b one shared frame: the same, aligned by gfn")
    }

    // MARK: - The world diff, table-driven

    /// One world-diff case: the steps each side runs (after the same layout), the right's extra
    /// settings, and exactly the (gfn, field) rows that must differ, in order.
    struct WorldCase: Sendable, CustomTestStringConvertible {
        let name: String
        let left: [String]
        let right: [String]
        var rightConfig: [String] = []
        let rows: [Row]
        var testDescription: String { name }

        struct Row: Sendable, Equatable {
            let gfn: Int
            let field: String
            var left: String?
            var right: String?
        }
    }

    static let frame0 = "a frame, RMP shared, direct map present, pins 0"

    static let worldCases: [WorldCase] = [
        WorldCase(name: "the same world: no difference", left: ["vmm write a"], right: ["vmm write a"], rows: []),
        WorldCase(name: "a discard: the fd row with its frame, and the NPT entry to it",
                  left: ["vmm write a"], right: ["vmm discard a shared"],
                  rows: [.init(gfn: 0x10, field: "shared fd", left: frame0, right: "hole"),
                         .init(gfn: 0x10, field: "NPT", left: "shared, to the shared fd's frame", right: "none")]),
        WorldCase(name: "a discard of a pinned frame leaves an orphan",
                  left: ["kvm map a via=pin"], right: ["kvm map a via=pin", "vmm discard a shared"],
                  rows: [.init(gfn: 0x10, field: "shared fd", left: "a frame, RMP shared, direct map present, pins 1", right: "hole"),
                         .init(gfn: 0x10, field: "orphans", left: "0", right: "1"),
                         .init(gfn: 0x10, field: "NPT", left: "shared, to the shared fd's frame", right: "none")]),
        WorldCase(name: "an RMPUPDATE to private: the new frame's RMP entry and direct map, attribute and NPT",
                  left: ["vmm write a"], right: ["kvm rmpupdate a private"],
                  rows: [.init(gfn: 0x10, field: "private fd", left: "hole",
                               right: "a frame, RMP private (ASID 1, not validated), direct map removed, pins 0"),
                         .init(gfn: 0x10, field: "attribute", left: "shared", right: "private"),
                         .init(gfn: 0x10, field: "NPT", left: "shared, to the shared fd's frame", right: "private, to the private fd's frame")]),
        WorldCase(name: "the allocators diverge: c gets another frame on each side, aligned by gfn",
                  left: ["vmm discard a shared", "vmm discard b shared", "vmm alloc c shared"],
                  right: ["vmm discard a shared", "vmm discard b shared", "vmm alloc c shared"],
                  rightConfig: ["allocator lowest"], rows: []),
        WorldCase(name: "the allocators diverge and c differs: the row is c's, whatever its frame",
                  left: ["vmm discard a shared", "vmm discard b shared", "vmm alloc c shared"],
                  right: ["vmm discard a shared", "vmm discard b shared", "vmm alloc c shared", "kvm map c via=pin"],
                  rightConfig: ["allocator lowest"],
                  rows: [.init(gfn: 0x30, field: "shared fd", left: frame0, right: "a frame, RMP shared, direct map present, pins 1")]),
        WorldCase(name: "a Page State Change completed on one side: guest view and request",
                  left: ["guest psc a private"], right: ["guest psc a private", "kvm resume"],
                  rows: [.init(gfn: 0x10, field: "guest view", left: "shared", right: "private"),
                         .init(gfn: 0x10, field: "request", left: "private", right: "none")]),
    ]

    /// The world after running `steps` on three pages (a, b shared; c unbacked), kernel thread.
    static func world(_ steps: [String], config: [String] = []) throws -> (World, Trace) {
        let text = (["title \"w\"", "config kernel thread"] + config.map { "config " + $0 }
                    + ["pfns 0x100..0x10f", "page a gfn=0x10 shared", "page b gfn=0x20 shared", "page c gfn=0x30 unbacked",
                       "step \"s\""] + steps.map { "  " + $0 }).joined(separator: "\n") + "\n"
        guard case .success(let scene) = parseScene(text, path: "w.scene") else { throw Failed() }
        let t = Engine.run(scene, variant: nil)
        return (t.world(after: t.actionCount - 1), t)
    }

    @Test(arguments: worldCases)
    func worldDiff(_ c: WorldCase) throws {
        let (a, _) = try Self.world(c.left), (b, _) = try Self.world(c.right, config: c.rightConfig)
        let rows = RunComparison.differences(a, b)
        #expect(rows.map { WorldCase.Row(gfn: $0.gfn, field: $0.field) } == c.rows.map { WorldCase.Row(gfn: $0.gfn, field: $0.field) })
        for (r, e) in zip(rows, c.rows) {
            if let l = e.left { #expect(r.left == l, "\(r.field) on the left") }
            if let x = e.right { #expect(r.right == x, "\(r.field) on the right") }
            let slot = try #require(a.geometry.slot(ofGFN: r.gfn))
            #expect(r.page == a.geometry.name(ofSlot: slot))
        }
        #expect(RunComparison.differences(b, a).map(\.field) == rows.map(\.field), "the diff is symmetric")
        #expect(RunComparison.differences(b, b).isEmpty)
    }

    /// The allocators hand out different frames to c, yet its row is one row, by gfn.
    @Test func allocatorsHandOutDifferentFramesToTheSameRow() throws {
        let steps = ["vmm discard a shared", "vmm discard b shared", "vmm alloc c shared"]
        let (a, _) = try Self.world(steps), (b, _) = try Self.world(steps, config: ["allocator lowest"])
        let slot = try #require(a.geometry.slot(ofGFN: 0x30))
        #expect(a.geometry.pfn(a.pages[slot].sharedFrame) == 0x101, "lifo: b's frame, freed last")
        #expect(b.geometry.pfn(b.pages[slot].sharedFrame) == 0x100, "lowest: a's frame")
    }
}
