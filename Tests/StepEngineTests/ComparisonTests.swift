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
        let text = """
            title "t"
            config kernel thread
            config discard-on-convert on
            pfns 0x100..0x10f
            page a gfn=0x10 shared
            page c gfn=0x30 shared
            page b gfn=0x20 unbacked
            step "free a's and c's shared frames"
              vmm discard a shared
              vmm discard c shared
            step "b gets a frame"
              vmm alloc b shared
            variant lifo "lifo"
            variant lowest "lowest"
              set allocator lowest
            """
        guard case .success(let scene) = parseScene(text, path: "t.scene") else { throw Failed() }
        let t = Engine.runAll(scene)
        let lastL = t[0].actionCount - 1, lastR = t[1].actionCount - 1
        // b (slot 2): lifo hands out c's frame 0x101, lowest a's 0x100.
        #expect(t[0].world(after: lastL).pages[2].sharedFrame == 1)
        #expect(t[1].world(after: lastR).pages[2].sharedFrame == 0)
        let c = RunComparison(left: t[0], right: t[1])
        #expect(c.divergence == nil, "both give b one shared frame: the same, aligned by gfn")
    }
}
