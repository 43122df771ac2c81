// The comparison's frame rows (issue 11): which frame backs (or backed) each gfn in each fd, the
// rows two runs share, and what the right side of a comparison is (CompareSide).
import BuiltinScenes
import MemoryModel
import SceneLanguage
import StepEngine
import Testing
import TestSupport

private struct Failed: Error {}

private func parsed(_ text: String) throws -> Scene {
    guard case .success(let scene) = parseScene(text, path: "t.scene") else {
        Issue.record("scene refused:\n\(text)")
        throw Failed()
    }
    return scene
}

private func ghcbUPM() throws -> Scene {
    let file = try #require(BuiltinScenes.named("ghcb-upm"))
    guard case .success(let scene) = parseScene(bytes: file.bytes, path: "scenes/ghcb-upm.scene") else { throw Failed() }
    return scene
}

private func run(_ scene: Scene, _ variant: String) throws -> Trace {
    let i = try #require(scene.variants.firstIndex { $0.name == variant }, "no variant \(variant)")
    return Engine.run(scene, variant: i)
}

/// Frames are numbered from the first pfn: frame 0 is pfn 0x100.
private let freeAndReuse = TestScenes.freeAndReuse(reallocatingA: true)

/// One lookup: in `variant`, the `kind` fd's row of `gfn`, after action `at` (-1: the initial world).
struct FrameCase: Sendable, CustomTestStringConvertible {
    let variant: String
    let gfn: Int
    let kind: MemoryKind
    let at: Int
    let expected: BackingFrame
    let why: String
    var testDescription: String { "\(variant) \(kind.rawValue) 0x\(String(gfn, radix: 16)) after \(at): \(why)" }
}

@Suite struct BackingRowsTests {
    /// Actions: 0 discard a, 1 discard c, 2 alloc b, 3 alloc a. Initially a holds frame 0, c frame 1.
    static let frameCases: [FrameCase] = [
        FrameCase(variant: "lifo", gfn: 0x10, kind: .shared, at: -1, expected: .current(0), why: "the initial world's frame"),
        FrameCase(variant: "lifo", gfn: 0x10, kind: .shared, at: 0, expected: .former(0), why: "discarded"),
        FrameCase(variant: "lifo", gfn: 0x30, kind: .shared, at: 0, expected: .current(1), why: "not discarded yet"),
        FrameCase(variant: "lifo", gfn: 0x30, kind: .shared, at: 1, expected: .former(1), why: "discarded"),
        FrameCase(variant: "lifo", gfn: 0x20, kind: .shared, at: 1, expected: .none, why: "before its alloc"),
        FrameCase(variant: "lifo", gfn: 0x20, kind: .shared, at: -1, expected: .none, why: "unbacked at the start"),
        FrameCase(variant: "lifo", gfn: 0x20, kind: .shared, at: 2, expected: .current(1), why: "lifo hands out c's frame"),
        FrameCase(variant: "lifo", gfn: 0x30, kind: .shared, at: 2, expected: .former(1), why: "its old frame backs b now"),
        FrameCase(variant: "lifo", gfn: 0x10, kind: .shared, at: 2, expected: .former(0), why: "still free"),
        FrameCase(variant: "lifo", gfn: 0x10, kind: .shared, at: 3, expected: .current(0), why: "lifo gives a its frame back"),
        FrameCase(variant: "lifo", gfn: 0x10, kind: .private, at: 3, expected: .none, why: "no private fd frame ever"),
        FrameCase(variant: "lowest", gfn: 0x20, kind: .shared, at: 2, expected: .current(0), why: "lowest hands out a's frame"),
        FrameCase(variant: "lowest", gfn: 0x10, kind: .shared, at: 2, expected: .former(0), why: "its old frame backs b now"),
        FrameCase(variant: "lowest", gfn: 0x10, kind: .shared, at: 3, expected: .current(1), why: "a new frame: the last event counts"),
        FrameCase(variant: "lowest", gfn: 0x30, kind: .shared, at: 3, expected: .former(1), why: "its old frame backs a now"),
    ]

    @Test(arguments: frameCases)
    func frameOfARow(c: FrameCase) throws {
        let scene = try parsed(freeAndReuse)
        let trace = try run(scene, c.variant)
        try #require(trace.actionCount == 4, "one action per operation")
        let g = trace.initial.geometry
        let slot = try #require(g.slot(ofGFN: c.gfn))
        let row = BackingRow(slot: Int32(slot), kind: c.kind)
        let world = c.at < 0 ? trace.initial : trace.world(after: c.at)
        #expect(BackingIndex(trace).frame(row, at: c.at, in: world) == c.expected)
        #expect(BackingIndex(trace).frame(row, at: c.at, in: world).frame == c.expected.frame)
    }

    /// Rows in gfn order (not the slots' declaration order), shared before private, one per (gfn,
    /// fd) either run ever backs: mainline has no private frame for gfn 0x10 (it allocates at the
    /// first private fault, which never comes), thread allocates one at the conversion.
    @Test func rowsAreInGfnOrderSharedFirstAndTheUnionOfBothRuns() throws {
        let scene = try parsed("""
            title "t"
            pfns 0x100..0x10f
            page b gfn=0x20 shared
            page a gfn=0x10 shared
            page z gfn=0x08 unbacked
            step "convert a"
              guest psc a private
              kvm exit a
              vmm convert a private
            variant thread "thread"
              set kernel thread
            variant mainline "mainline"
              set kernel mainline
            """)
        let thread = try run(scene, "thread"), mainline = try run(scene, "mainline")
        let g = thread.initial.geometry
        func slot(_ gfn: Int) throws -> Int32 { Int32(try #require(g.slot(ofGFN: gfn))) }
        let expected = [BackingRow(slot: try slot(0x10), kind: .shared), BackingRow(slot: try slot(0x10), kind: .private),
                        BackingRow(slot: try slot(0x20), kind: .shared)]
        // Only thread backs a's private side.
        let a = Int(try slot(0x10))
        #expect(thread.world(after: thread.actionCount - 1).pages[a].privateFrame >= 0)
        #expect(mainline.world(after: mainline.actionCount - 1).pages[a].privateFrame < 0)
        #expect(AlignedBackingRows(left: mainline, right: thread).rows == expected)
        #expect(AlignedBackingRows(left: thread, right: mainline).rows == expected)
        #expect(AlignedBackingRows(left: mainline, right: mainline).rows == [expected[0], expected[2]],
                "a row exists only if a side backs it; z (0x08) never has a frame")
    }

    /// The rows are fixed for the whole comparison: a gfn backed only late has its row from the start.
    @Test func rowsDoNotComeAndGo() throws {
        let scene = try parsed(freeAndReuse)
        let rows = AlignedBackingRows(left: try run(scene, "lifo"), right: try run(scene, "lowest"))
        let g = try run(scene, "lifo").initial.geometry
        #expect(rows.rows.map { g.gfn(ofSlot: Int($0.slot)) } == [0x10, 0x20, 0x30])
        #expect(rows.rows.allSatisfy { $0.kind == .shared })
    }

    /// The row that shows a frame: b's current frame on each side, and a former frame by its row.
    @Test func theRowShowingAFrame() throws {
        let scene = try parsed(freeAndReuse)
        let lifo = try run(scene, "lifo"), lowest = try run(scene, "lowest")
        let rows = AlignedBackingRows(left: lifo, right: lowest)
        // After the alloc of b (action 2): lifo gave b frame 1, lowest frame 0; rows are a, b, c.
        #expect(rows.row(showing: 1, left: true, at: 2, in: lifo.world(after: 2)) == 1)
        #expect(rows.row(showing: 0, left: false, at: 2, in: lowest.world(after: 2)) == 1)
        // lifo's frame 0 is free: it is shown in a's row, as a's former frame.
        #expect(rows.row(showing: 0, left: true, at: 2, in: lifo.world(after: 2)) == 0)
        // A frame no row ever showed.
        #expect(rows.row(showing: 9, left: true, at: 2, in: lifo.world(after: 2)) == nil)
    }

    // MARK: - CompareSide.parse

    @Test(arguments: [
        ("discard", CompareSide.variant("discard")),
        ("keep", .variant("keep")),
        ("kernel=mainline", .settings([.init(key: .kernel, value: "mainline")])),
        ("discard-on-convert=on,allocator=lowest",
         .settings([.init(key: .discardOnConvert, value: "on"), .init(key: .allocator, value: "lowest")])),
        ("asid=7", .settings([.init(key: .asid, value: "7")])),
    ])
    func parsesASide(text: String, side: CompareSide) throws {
        let scene = try ghcbUPM()
        guard case .success(let got) = CompareSide.parse(text, scene: scene) else {
            Issue.record("'\(text)' refused")
            return
        }
        #expect(got == side)
        #expect(got.label == text, "a side is labelled as it is written")
    }

    @Test(arguments: [
        ("kep", ["not a variant (keep, discard, mainline) nor KEY=VALUE settings", "did you mean 'keep'?"]),
        ("nosuch", ["nosuch: not a variant (keep, discard, mainline)"]),
        ("kernel=v6", ["kernel=v6: 'v6' is not a value of kernel; valid values: thread, v5, mainline"]),
        ("kernel=", ["kernel=: not a variant", "nor KEY=VALUE settings"]),
        ("kernel=mainline,allocator=biggest", ["allocator=biggest: 'biggest' is not a value of allocator; valid values: lifo, lowest"]),
        ("kernel=mainline,", ["not a variant", "nor KEY=VALUE settings"]),
        ("asid=0", ["asid=0: asid must be a number from 1 to 1023"]),
        ("", ["not a variant"]),
    ])
    func refusesABadSide(text: String, words: [String]) throws {
        let scene = try ghcbUPM()
        guard case .failure(let problem) = CompareSide.parse(text, scene: scene) else {
            Issue.record("'\(text)' accepted")
            return
        }
        #expect(problem.isUsage, "a mistyped side is bad usage")
        for w in words { #expect(problem.message.contains(w), "'\(problem.message)' lacks '\(w)'") }
    }

    /// A typo in a setting's key should get the same did-you-mean as a variant's name.
    @Test func aMistypedKeyGetsADidYouMean() throws {
        guard case .failure(let problem) = CompareSide.parse("kernal=mainline", scene: try ghcbUPM()) else {
            Issue.record("accepted")
            return
        }
        #expect(problem.isUsage)
        #expect(problem.message.contains("did you mean 'kernel'?"), "\(problem.message)")
    }

    // MARK: - CompareSide.run

    @Test func aVariantSideRunsThatVariant() throws {
        let scene = try ghcbUPM()
        let left = try run(scene, "keep")
        guard case .success(let right) = CompareSide.variant("discard").run(against: left) else {
            Issue.record("discard does not run")
            return
        }
        #expect(right.variant?.name == "discard" && right.config.kernel == .thread)
        guard case .failure(let p) = CompareSide.variant("nosuch").run(against: left) else {
            Issue.record("a missing variant runs")
            return
        }
        #expect(p.isUsage && p.message.contains("no variant 'nosuch'"))
    }

    /// Settings re-run the left's variant on top of the scene's own overrides (a --kernel given on
    /// the command line stays).
    @Test func aSettingsSideReRunsTheLeftsVariantOnTopOfTheOverrides() throws {
        let base = try ghcbUPM()
        guard case .success(let scene) = base.applying([Setting(key: .kernel, value: "thread", location: SourceLocation(line: 0, column: 0))]) else {
            Issue.record("ghcb-upm does not run under kernel thread")
            return
        }
        let left = try run(scene, "keep")
        #expect(left.config.kernel == .thread)
        let side = CompareSide.settings([.init(key: .allocator, value: "lowest")])
        guard case .success(let right) = side.run(against: left) else {
            Issue.record("allocator=lowest does not run")
            return
        }
        #expect(right.variant?.name == "keep" && right.variantIndex == left.variantIndex)
        #expect(right.config.allocator == .lowest)
        #expect(right.config.kernel == .thread, "the command line's kernel is kept")
        #expect(left.config.allocator == .lifo, "the left is untouched")
    }

    /// ghcb-upm converts through the private fd: under kernel v5 (no UPM) it cannot run. That is
    /// a scene problem, not a usage one.
    @Test func aSideTheSceneCannotRunIsNotAUsageError() throws {
        let left = try run(try ghcbUPM(), "discard")
        guard case .failure(let p) = CompareSide.settings([.init(key: .kernel, value: "v5")]).run(against: left) else {
            Issue.record("ghcb-upm runs under v5")
            return
        }
        #expect(!p.isUsage)
        #expect(p.message.contains("needs 'upm on'"), "\(p.message)")
        #expect(p.message.hasPrefix("kernel=v5: line "), "the side, then the operation's line: \(p.message)")
    }

    /// Only the left's variant is re-run: another variant that cannot run under the settings is no
    /// reason to refuse. Here `upm` sets upm on itself, so it runs under kernel v5; `plain` does not.
    @Test func onlyTheLeftsVariantHasToRunUnderTheSettings() throws {
        let scene = try parsed("""
            title "t"
            pfns 0x100..0x10f
            page a gfn=0x10 shared
            step "convert"
              guest psc a private
              kvm exit a
              vmm convert a private
            variant upm "upm on"
              set upm on
            variant plain "the kernel's default"
            """)
        let left = try run(scene, "upm")
        // The left's variant under v5, as the scene would run it: possible.
        guard case .success(let alone) = scene.applying([Setting(key: .kernel, value: "v5", location: SourceLocation(line: 0, column: 0)),
                                                         Setting(key: .upm, value: "on", location: SourceLocation(line: 0, column: 0))]) else {
            Issue.record("upm on under v5 is refused")
            return
        }
        #expect(Engine.run(alone, variant: left.variantIndex).config.upm)
        switch CompareSide.settings([.init(key: .kernel, value: "v5")]).run(against: left) {
        case .success(let right):
            #expect(right.config.kernel == .v5 && right.config.upm && right.variant?.name == "upm")
        case .failure(let p):
            Issue.record("refused because of another variant: \(p.message)")
        }
        // Compared with 'plain' on the left, the same settings are refused: plain needs UPM from v5.
        guard case .failure(let p) = CompareSide.settings([.init(key: .kernel, value: "v5")]).run(against: try run(scene, "plain")) else {
            Issue.record("plain runs under v5 without UPM")
            return
        }
        #expect(!p.isUsage && p.message.contains("needs 'upm on'"), "\(p.message)")
    }

    // MARK: - CompareSide.candidates

    @Test(arguments: [
        ("keep", ["discard", "mainline", "kernel=thread", "kernel=v5"]),
        ("discard", ["mainline", "keep", "kernel=v5", "kernel=mainline"]),
        ("mainline", ["keep", "discard", "kernel=thread", "kernel=v5"]),
    ])
    func candidatesAreTheOtherVariantsThenTheOtherKernels(left: String, expected: [String]) throws {
        let trace = try run(try ghcbUPM(), left)
        let got = CompareSide.candidates(for: trace)
        #expect(got.map(\.label) == expected)
        #expect(!got.contains(.variant(left)), "never the left itself")
        #expect(!got.contains(.settings([.init(key: .kernel, value: trace.config.kernel.rawValue)])), "nor the left's own kernel")
    }

    @Test func aSceneWithoutVariantsHasOnlyTheOtherKernels() throws {
        let scene = try parsed("""
            title "t"
            config kernel v5
            pfns 0x100..0x10f
            page a gfn=0x10 shared
            step "s"
              vmm write a
            """)
        let trace = Engine.run(scene, variant: nil)
        #expect(CompareSide.candidates(for: trace).map(\.label) == ["kernel=mainline", "kernel=thread"])
    }

    @Test func aSceneWithOneVariantHasNoOtherVariant() throws {
        let scene = try parsed("""
            title "t"
            pfns 0x100..0x10f
            page a gfn=0x10 shared
            step "s"
              vmm write a
            variant only "the only one"
            """)
        let trace = try run(scene, "only")
        #expect(CompareSide.candidates(for: trace).map(\.label) == ["kernel=thread", "kernel=v5"])
    }
}
