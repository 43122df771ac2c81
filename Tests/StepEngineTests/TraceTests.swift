import BuiltinScenes
import MemoryModel
import SceneLanguage
import StepEngine
import Testing
import TestSupport

@Suite struct TraceCursorTests {

    /// A 2,000-page range: every operation on it is thousands of actions, so jumps cross checkpoints.
    static func bigScene(allocator: String) -> Scene {
        scene([decl("buf", 0x1000, .shared, count: 2000), decl("ghcb", 0x10, .shared)], pfns: 0x100...0x10ff,
              config: ["discard-on-convert on", "allocator \(allocator)"],
              steps: [["kvm map buf[5] via=pin", "kvm map ghcb via=kmap"], ["vmm convert buf private"],
                      ["kvm fault-in buf"], ["guest pvalidate buf[7] on", "vmm convert ghcb private"],
                      ["vmm convert buf shared"], ["kvm unmap buf[5]", "host alloc obj", "kvm write ghcb"]])
    }

    @Test(arguments: ["lifo", "lowest"])
    func randomMovesGiveTheSameWorldsAsAFreshRun(allocator: String) {
        let s = Self.bigScene(allocator: allocator)
        let trace = Engine.run(s, variant: nil)
        let fresh = Engine.run(s, variant: nil)
        #expect(trace.actionCount > 10_000)
        #expect(!trace.kinds.contains(.invariantBroken))
        var cursor = TraceCursor(trace: trace, at: -1)
        #expect(sameState(cursor.world, trace.initial))
        var g = SeededRandom(state: allocator == "lifo" ? 42 : 7)
        let n = trace.actionCount
        for move in 0..<160 {
            let target: Int
            switch g.next() % 4 {
            case 0: target = Int(g.next() % UInt64(n + 1)) - 1  // anywhere, often a long jump
            case 1: target = cursor.index + Int(g.next() % 21) - 10  // a short step either way
            case 2: target = cursor.index + Int(g.next() % 3000) - 1500  // over a checkpoint or two
            default: target = Int(g.next() % 2) == 0 ? 1023 + Int(g.next() % 3) : n - 1 - Int(g.next() % 3)
            }
            cursor.move(to: target)
            let clamped = max(-1, min(target, n - 1))
            #expect(cursor.index == clamped)
            #expect(sameState(cursor.world, trace.world(after: clamped)), "move \(move) to \(clamped)")
            if move % 8 == 0 {
                #expect(sameState(cursor.world, fresh.world(after: clamped)), "move \(move) to \(clamped)")
            }
        }
    }

    /// A step of exactly 1,024 actions ends on a checkpoint: its end-of-step writes belong to its last action.
    @Test func aStepEndingOnACheckpointBoundary() {
        let s = scene([decl("buf", 0x1000, .shared, count: 1024)], pfns: 0x100...0x10ff,
                      steps: [["vmm alloc buf private"], ["vmm discard buf private"], ["vmm alloc buf private"]])
        let t = Engine.run(s, variant: nil)
        #expect(t.actionCount == 3 * 1024)
        #expect(t.kinds.filter { $0 == .doubleAllocation }.count == 2048)
        #expect(t.outcomes.allSatisfy { $0.action == 1023 || $0.action == 3071 })
        #expect(t.world(after: 1023).pages[5].doubledAtStepEnd)
        #expect(!t.world(after: 1022).pages[5].doubledAtStepEnd)
        // Writes only, one action at a time, against the checkpointed worlds.
        var cursor = TraceCursor(trace: t, at: -1)
        for i in 0..<t.actionCount {
            cursor.move(to: i)
            if i % 97 == 0 || (1020...1030).contains(i) || (2045...2050).contains(i) || i == t.actionCount - 1 {
                #expect(sameState(cursor.world, t.world(after: i)), "action \(i)")
            }
        }
        for i in stride(from: t.actionCount - 2, through: -1, by: -1) {
            cursor.move(to: i)
            if i % 89 == 0 || (1020...1030).contains(i) || i == -1 {
                #expect(sameState(cursor.world, t.world(after: i)), "back to \(i)")
            }
        }
        #expect(sameState(cursor.world, t.initial))
    }

    @Test func steppingOneByOneBothWaysMatchesWorldAfter() {
        let trace = Engine.run(ghcbScene(config: ["discard-on-convert on"]), variant: nil)
        var cursor = TraceCursor(trace: trace, at: -1)
        for i in 0..<trace.actionCount {
            cursor.move(to: i)
            #expect(sameState(cursor.world, trace.world(after: i)), "forward \(i)")
        }
        for i in stride(from: trace.actionCount - 2, through: -1, by: -1) {
            cursor.move(to: i)
            #expect(sameState(cursor.world, trace.world(after: i)), "back \(i)")
        }
        #expect(sameState(cursor.world, trace.initial))
    }

    @Test func theWorldsFollowTheModel() {
        // world(after:) of the step that discards ghcb's shared frame shows it freed.
        let trace = Engine.run(ghcbScene(config: ["discard-on-convert on"]), variant: nil)
        let convert = trace.actions(ofStep: 3)
        let w = trace.world(after: convert.upperBound - 1)
        #expect(w.frames[0].owner == .free)
        #expect(w.pages[0].privateFrame == 1)
        #expect(w.pages[0].sharedFrame < 0)
        #expect(trace.world(after: convert.lowerBound - 1).frames[0].owner == .sharedFD(gfn: 0x10))
    }
}

@Suite struct ChangesTests {
    static func trace() -> Trace { Engine.run(ghcbScene(config: ["discard-on-convert on"]), variant: nil) }

    static func has(_ c: [Change], _ table: TableID, _ row: Int, _ field: String, _ before: String, _ after: String) -> Bool {
        // The words the report prints for each typed value.
        c.contains { x in
            x.table == table && x.row == row && x.field.rawValue == field && x.before.description == before && x.after.description == after
        }
    }

    @Test func mapAddsAMapping() {
        let t = Self.trace()
        let c = t.changes(of: 0)
        #expect(Self.has(c, .directMap, 0x100, "mapping", "none", "kvm ghcb via kmap"))
    }

    @Test func pscRecordsARequest() {
        let t = Self.trace()
        let c = t.changes(of: t.actions(ofStep: 1).lowerBound)
        #expect(Self.has(c, .kvm, 0x10, "request", "none", "private"))
        #expect(t.changes(of: t.actions(ofStep: 1).lowerBound + 1).isEmpty)  // VMGEXIT
        #expect(Self.has(t.changes(of: t.actions(ofStep: 2).lowerBound), .kvm, 0x10, "request", "private", "private, forwarded"))
    }

    @Test func convertChangesAttributeThenFilesThenFrees() {
        let t = Self.trace()
        let a = t.actions(ofStep: 3)
        #expect(a.count == 3)
        let set = t.changes(of: a.lowerBound)
        #expect(Self.has(set, .kvm, 0x10, "attribute", "shared", "private"))
        #expect(Self.has(set, .kvm, 0x10, "npt", "0x100 shared", "none"))
        #expect(!set.contains { $0.table == .rmp })
        let alloc = t.changes(of: a.lowerBound + 1)
        #expect(Self.has(alloc, .privateFD, 0x10, "frame", "hole", "0x101"))
        #expect(Self.has(alloc, .frame, 0x101, "owner", "free", "private fd 0x10"))
        let discard = t.changes(of: a.lowerBound + 2)
        #expect(Self.has(discard, .sharedFD, 0x10, "frame", "0x100", "hole"))
        #expect(Self.has(discard, .frame, 0x100, "owner", "shared fd 0x10", "free"))
        #expect(t.summary(of: a.lowerBound).contains("attribute[0x10]: shared → private"))
        #expect(t.summary(of: a.lowerBound + 2).contains("0x100 freed"))
    }

    @Test func faultInByPValidateAssignsTheFrame() {
        let t = Self.trace()
        let i = t.actions(ofStep: 8).lowerBound
        let c = t.changes(of: i)
        #expect(Self.has(c, .rmp, 0x100, "assigned", "0", "1"))
        #expect(Self.has(c, .rmp, 0x100, "asid", "0", "1"))
        #expect(Self.has(c, .rmp, 0x100, "gfn", "0x0", "0x30"))
        #expect(Self.has(c, .rmp, 0x100, "validated", "0", "1"))
        #expect(Self.has(c, .directMap, 0x100, "present", "present", "not present"))
        #expect(Self.has(c, .kvm, 0x30, "npt", "none", "0x100 private"))
        #expect(!c.contains { $0.table == .sharedFD || $0.table == .privateFD })
        let s = t.summary(of: i)
        #expect(s.contains("RMP[0x100]: shared → private"))
        #expect(s.contains("direct map: 0x100 removed"))
    }

    @Test func resumeFlipsTheGuestViews() {
        let t = Self.trace()
        let c = t.changes(of: t.actions(ofStep: 7).lowerBound)
        #expect(Self.has(c, .guest, 0x10, "view", "shared", "private"))
        #expect(Self.has(c, .guest, 0x30, "view", "shared", "private"))
        #expect(Self.has(c, .kvm, 0x30, "request", "private, forwarded", "none"))
    }

    @Test func rmpupdateToSharedIsSummarised() {
        let t = Engine.run(scene([decl("p", 0x10, .private)], config: ["upm off"],
                                 steps: [["kvm rmpupdate p shared"], ["kvm rmpupdate p private"]]), variant: nil)
        let c = t.changes(of: 0)
        #expect(Self.has(c, .rmp, 0x100, "assigned", "1", "0"))
        #expect(Self.has(c, .directMap, 0x100, "present", "not present", "present"))
        #expect(Self.has(c, .kvm, 0x10, "attribute", "private", "shared"))
        #expect(t.summary(of: 0).contains("RMP[0x100]: private → shared"))
        #expect(t.summary(of: 1).contains("RMP[0x100]: shared → private"))
        #expect(t.summary(of: 1).contains("gfn 0x10"))
    }
}

/// `Trace.worst(through:)` (kept per outcome) agrees with the ending rule over the outcomes so far.
@Suite struct WorstSoFarTests {
    @Test func worstThroughEveryActionIsTheRuleOverTheOutcomesSoFar() throws {
        for file in BuiltinScenes.all where !file.isDeck {
            guard case .success(let scene) = parseScene(bytes: file.bytes, path: file.fileName) else {
                Issue.record("\(file.name) does not parse")
                continue
            }
            for trace in Engine.runAll(scene) {
                for i in -1..<trace.actionCount {
                    #expect(trace.worst(through: i) == Trace.worst(of: trace.outcomes(through: i)), "\(file.name) action \(i)")
                }
                #expect(trace.worst(through: trace.actionCount - 1) == trace.ending)
            }
        }
    }
}
