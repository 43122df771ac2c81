@testable import StepEngine
import BuiltinScenes
import MemoryModel
import SceneLanguage
import Testing
import TestSupport

/// Where two runs first differ (issue 11): the divergence and its one-line sentence on scenes
/// written here and on the built-in ghcb-upm, and the fast walk against a brute-force one.
@Suite struct DivergenceTests {
    struct Failed: Error {}

    static func scene(_ text: String) throws -> Scene {
        guard case .success(let s) = parseScene(text, path: "t.scene") else { throw Failed() }
        return s
    }

    static func run(_ s: Scene, _ variant: String, _ settings: [String: String] = [:]) throws -> Trace {
        let i = try #require(s.variants.firstIndex { $0.name == variant })
        guard !settings.isEmpty else { return Engine.run(s, variant: i) }
        let nowhere = SourceLocation(line: 0, column: 0)
        let extra = try settings.sorted { $0.key < $1.key }.map { kv in
            Setting(key: try #require(SettingKey(rawValue: kv.key)), value: kv.value, location: nowhere)
        }
        guard case .success(let applied) = s.applying(s.overrides + extra) else { throw Failed() }
        return Engine.run(applied, variant: i)
    }

    static func ghcbUPM() throws -> Scene {
        let file = try #require(BuiltinScenes.named("ghcb-upm"))
        guard case .success(let s) = parseScene(bytes: file.bytes, path: file.fileName) else { throw Failed() }
        return s
    }

    static let discardScene = TestScenes.keepOrDiscard

    @Test func aDiscardIsTheFdRowAlone() throws {
        let s = try Self.scene(Self.discardScene)
        let c = RunComparison(left: try Self.run(s, "keep"), right: try Self.run(s, "discard"))
        let d = try #require(c.divergence)
        #expect(d.step == 1 && d.action == 1 && !d.initially && d.notReachedOnLeft == nil)
        #expect(d.differences.map(\.field) == ["shared fd"] && d.differences.allSatisfy { $0.gfn == 0x10 })
        #expect(d.differences.first?.right == "hole")
        #expect(d.outcomes.left.isEmpty && d.outcomes.right.isEmpty)
        #expect(c.divergenceSentence == "first differs at step 2, action 2: vmm convert a private — discard shared (only on the right) — "
                + "left keeps 0x100 in the shared fd, right frees it")
        #expect(c.stepDifferences.map(\.count) == [0, 1, 1])
    }

    @Test func theKernelsAllocateAtDifferentTimes() throws {
        let s = try Self.scene(Self.discardScene)
        let c = RunComparison(left: try Self.run(s, "keep"), right: try Self.run(s, "keep", ["kernel": "thread"]))
        #expect(c.divergenceSentence == "first differs at step 2, action 2: vmm convert a private — alloc private (only on the right) — "
                + "left has no frame in the private fd, right allocates 0x102 in the private fd; "
                + "left raises nothing, right raises double-allocation")
    }

    @Test func ghcbKeepAgainstDiscard() throws {
        let s = try Self.ghcbUPM()
        let c = RunComparison(left: try Self.run(s, "keep"), right: try Self.run(s, "discard"))
        #expect(c.divergenceSentence == "first differs at step 2, action 1: kvm map ghcb — left pins 0x100, right does not pin it")
        // The right panics at step 5: step 6 is compared with its last world.
        #expect(c.left.isReached(step: 5) && !c.right.isReached(step: 5))
        let rows = c.stepDifferences[5].map { "\(hex($0.gfn)) \($0.field)" }
        #expect(rows == ["0x10 shared fd", "0x10 private fd", "0x10 NPT", "0x10 guest view", "0x10 request", "0x30 private fd"])
    }

    @Test func ghcbDiscardAgainstMainline() throws {
        let s = try Self.ghcbUPM()
        let c = RunComparison(left: try Self.run(s, "discard"), right: try Self.run(s, "discard", ["kernel": "mainline"]))
        #expect(c.divergenceSentence == "first differs at step 2, action 1: kvm map ghcb — left does not pin 0x100, right pins it")
        let mainline = RunComparison(left: try Self.run(s, "keep"), right: try Self.run(s, "mainline"))
        #expect(mainline.divergenceSentence == "first differs at step 3, action 2: vmm convert ghcb private — discard shared (only on the right) — "
                + "left keeps 0x100 in the shared fd, right orphans it (still pinned)")
    }

    /// A fatal outcome on one side: the outcomes differ there, and the next step is lost.
    @Test func aPanicEndsOneSide() throws {
        let s = try Self.ghcbUPM()
        let c = RunComparison(left: try Self.run(s, "discard"), right: try Self.run(s, "discard", ["pf-fixup": "flip-shared"]))
        let d = try #require(c.divergence)
        #expect(d.step == 4 && d.outcomes.left.contains("host-panic") && !d.outcomes.right.contains("host-panic"))
        #expect(c.divergenceSentence.hasSuffix("; step 6 is not reached on the left"), "\(c.divergenceSentence)")
        let text = c.stepDifferences[5]
        #expect(!text.isEmpty, "step 6: the left's last world against the right's")
    }

    /// A step one side never reached (built by hand: two runs that differ nowhere before it would
    /// have stopped alike), and worlds that differ from the start.
    @Test func notReachedAndInitialSentences() throws {
        let s = try Self.ghcbUPM()
        let l = try Self.run(s, "keep"), r = try Self.run(s, "discard")
        let d = Divergence(step: 5, action: 0, leftIndex: l.actions(ofStep: 5).lowerBound, rightIndex: r.actionCount - 1,
                           differences: [], outcomes: ([], []), initially: false, notReachedOnLeft: false)
        #expect(RunComparison.sentence(l, r, d) == "first differs at step 6, action 1: guest pvalidate ghcb on — step 6 is not reached on the right")
        let upm = try Self.scene("""
            title "u"
            config kernel mainline
            page s gfn=0x20 private
            step "read"
              guest read s
            variant a "a"
            """)
        let c = RunComparison(left: try Self.run(upm, "a"), right: try Self.run(upm, "a", ["kernel": "thread"]))
        #expect(c.divergence?.initially == true)
        #expect(c.divergenceSentence == "first differs in the initial state — s: left's direct map entry for 0x100 is present, right's is removed")
    }

    /// The walk reads writes, not worlds; it must find what a brute-force walk over whole worlds
    /// finds: built-in scenes, every pair of variants and kernels, and mutated scenes.
    @Test func theWalkAgreesWithABruteForceWalk() throws {
        var pairs: [(Trace, Trace)] = []
        var scenes: [Scene] = []
        for file in BuiltinScenes.all where !file.isDeck {
            if case .success(let s) = parseScene(bytes: file.bytes, path: file.fileName) { scenes.append(s) }
        }
        // A range: one `kvm resume` writes 48 pages, more than the walk merges by linear search.
        scenes.append(try Self.scene("""
            title "range"
            config kernel thread
            pfns 0x100..0x17f
            page buf gfn=0x100..0x12f shared
            step "ask"
              guest psc buf private
              kvm exit buf
            step "convert"
              vmm convert buf private
              vmm refuse buf[3]
              kvm resume
            variant keep "keep"
            variant discard "discard"
              set discard-on-convert on
            variant lowest "lowest"
              set allocator lowest
              set discard-on-convert on
            """))
        var rng = SeededRandom(state: 0xC0_4BA3E)
        let sources = BuiltinScenes.all.filter { !$0.isDeck }.map(\.bytes)
        for round in 0..<400 {
            let text = SceneMutator.mutate(sources[round % sources.count], &rng)
            guard case .success(let s) = parseScene(bytes: text, path: "m.scene"), s.layout.pfns.count <= 256,
                  s.layout.pages.reduce(0, { $0 + $1.count }) <= 256, s.steps.count <= 40 else { continue }
            scenes.append(s)
        }
        for s in scenes {
            let runs = Engine.runAll(s)
            var kernels: [Trace] = []
            for k in Kernel.allCases {
                let setting = Setting(key: .kernel, value: k.rawValue, location: SourceLocation(line: 0, column: 0))
                if case .success(let a) = s.applying(s.overrides + [setting]) { kernels.append(Engine.run(a, variant: runs[0].variantIndex)) }
            }
            for a in runs { for b in runs + kernels { pairs.append((a, b)) } }
        }
        #expect(pairs.count > 400)
        for (a, b) in pairs {
            let c = RunComparison(left: a, right: b)
            let expected = Self.bruteForce(a, b)
            let got = c.divergence.map { ($0.step, $0.action, $0.differences, $0.outcomes.left, $0.outcomes.right) }
            let same = expected?.0 == got?.0 && expected?.1 == got?.1 && expected?.2 == got?.2 && expected?.3 == got?.3 && expected?.4 == got?.4
            #expect(same, "\(a.scene.title): \(c.divergenceSentence)")
            #expect(!c.divergenceSentence.contains("\n") && !c.divergenceSentence.contains("the worlds differ"), "\(c.divergenceSentence)")
            for s in 0..<a.stepCount {
                let l = a.actions(ofStep: s), r = b.actions(ofStep: s)
                let full = RunComparison.differences(a.world(after: l.isEmpty ? a.actionCount - 1 : l.upperBound - 1),
                                                     b.world(after: r.isEmpty ? b.actionCount - 1 : r.upperBound - 1))
                #expect(c.stepDifferences[s] == full, "\(a.scene.title) step \(s + 1)")
            }
            if !same { return }
        }
    }

    /// The walk's per-gfn judgement from two actions' writes, case by case (one side may write
    /// what the other does not; an unwritten frame newly pointed to is left to the worlds).
    @Test func stillSameReadsTheWrites() throws {
        let s = try Self.scene(Self.discardScene)
        let initial = Engine.run(s, variant: 0).initial, g = initial.geometry
        let slot: Int32 = 0
        let page = initial.pages[0], frame = initial.frames[0]
        #expect(page.sharedFrame == 0 && page.npt?.frame == 0 && frame.owner == .sharedFD(gfn: 0x10))
        var privatePage = page
        privatePage.attribute = .private
        var doubled = page
        doubled.doubledAtStepEnd = true
        var pinned = frame
        pinned.pins = 1
        var moved = page
        moved.sharedFrame = 5
        moved.npt?.frame = 5
        func judge(_ l: [Write], _ r: [Write]) -> Bool? {
            var a = ActionWrites(), b = ActionWrites()
            _ = a.load(l[...])
            _ = b.load(r[...])
            return RunComparison.stillSame(a, b, slot: slot, g: g)
        }
        let attr = Write.page(slot, before: page, after: privatePage)
        #expect(judge([attr], []) == false, "only the left sets the attribute")
        #expect(judge([], [attr]) == false, "only the right sets the attribute")
        #expect(judge([attr], [attr]) == true, "both set it")
        #expect(judge([.page(slot, before: page, after: doubled)], []) == true, "a change the view does not show")
        let pin = Write.frame(0, before: frame, after: pinned)
        #expect(judge([pin], []) == false, "only the left pins the gfn's frame")
        #expect(judge([pin], [pin]) == true)
        #expect(judge([.page(slot, before: page, after: moved)], []) == nil, "a frame the writes do not show")
        #expect(judge([], []) == true)
    }

    /// After every aligned pair of actions, every gfn compared in the whole worlds.
    static func bruteForce(_ l: Trace, _ r: Trace) -> (Int, Int, [RowDifference], [String], [String])? {
        let start = RunComparison.differences(l.initial, r.initial)
        if !start.isEmpty { return (0, 0, start, [], []) }
        for s in 0..<l.stepCount {
            let la = l.actions(ofStep: s), ra = r.actions(ofStep: s)
            if la.isEmpty != ra.isEmpty { return (s, 0, [], [], []) }
            for i in 0..<max(la.count, ra.count) {
                let li = la.lowerBound + min(i, la.count - 1), ri = ra.lowerBound + min(i, ra.count - 1)
                let diffs = RunComparison.differences(l.world(after: li), r.world(after: ri))
                let lo = i < la.count ? l.outcomes(of: li).map(\.outcome.kind.rawValue) : []
                let ro = i < ra.count ? r.outcomes(of: ri).map(\.outcome.kind.rawValue) : []
                if !diffs.isEmpty || lo != ro { return (s, i, diffs, lo, ro) }
            }
        }
        return nil
    }
}
