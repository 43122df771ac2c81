// The state reducer: every key binding does what its help text says; mouse, resize, find, endings,
// and a scene of 262,144 pages.
import MemoryModel
import Screen
import StepEngine
import Testing
@testable import Viewer

/// One key of one binding, as a test argument.
struct BindingCase: Sendable, CustomTestStringConvertible {
    let key: Key
    let action: ViewerAction
    let help: String
    var testDescription: String { "\(key.label): \(help)" }

    static let all: [BindingCase] = KeyMap.bindings.flatMap { b in
        b.keys.map { BindingCase(key: $0, action: b.action, help: b.help) }
    }
}

/// What a key may change, for "nothing changed" checks.
struct Snapshot: Equatable {
    let variant: Int, index: Int, focus: TableKind, selection: [Int], scroll: [Int]
    let mode: ViewerMode, number: String, quit: Bool, width: Int, height: Int

    init(_ s: ViewerState) {
        variant = s.variant; index = s.index; focus = s.focus; selection = s.selection; scroll = s.scroll
        mode = s.mode; number = s.number; quit = s.quit; width = s.width; height = s.height
    }
}

extension ViewerState {
    mutating func type(_ text: String) {
        for c in text { handle(.char(c)) }
    }
}

@Suite struct ReducerTests {
    /// ghcb-upm, keep variant, at 100×30 (tables of 7 rows, so the 16 frames scroll), at the first
    /// action of step 3: there is a step before and after, and all three variants reach it (discard
    /// panics in step 5).
    static func start() throws -> ViewerState {
        var s = try Fixture.state("ghcb-upm", width: 100, height: 30)
        s.jump(to: s.trace.actions(ofStep: 2).lowerBound)
        #expect(s.step == 2)
        return s
    }

    static func expectRowVisible(_ s: ViewerState, _ t: TableKind, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let capacity = s.layout.tableCapacity
        let sel = s.selection[t.rawValue], scroll = s.scroll[t.rawValue]
        #expect(scroll <= sel && sel < scroll + capacity,
                "\(t.title): selected row \(sel) is not in the visible rows \(scroll)..<\(scroll + capacity)",
                sourceLocation: sourceLocation)
    }

    @Test func everyActionOfTheKeyMapIsCoveredByTheseTests() {
        // The table below switches over ViewerAction exhaustively; this checks each key maps back.
        for b in KeyMap.bindings {
            for k in b.keys {
                let a = KeyMap.action(for: k)
                if case .digit = b.action, case .char(let c) = k {
                    #expect(a == .digit(c.wholeNumberValue ?? -1))
                } else {
                    #expect(a == b.action, "\(k.label) maps to \(String(describing: a)), not \(b.action)")
                }
            }
        }
        // No key is bound twice.
        let keys = KeyMap.bindings.flatMap(\.keys)
        #expect(Set(keys).count == keys.count)
    }

    @Test(arguments: BindingCase.all)
    func everyBinding(_ c: BindingCase) throws {
        var s = try Self.start()
        let before = s
        let trace = s.trace
        switch c.action {
        case .nextAction:
            s.handle(c.key)
            #expect(s.index == before.index + 1)
            #expect(s.message == nil)
        case .previousAction:
            s.handle(c.key)
            #expect(s.index == before.index - 1)
            #expect(s.step == before.step - 1, "the first action of a step goes back into the previous step")
        case .nextStep:
            s.handle(c.key)
            #expect(s.step == before.step + 1)
            #expect(s.index == trace.actions(ofStep: before.step + 1).lowerBound)
        case .previousStep:
            s.handle(c.key)
            #expect(s.step == before.step - 1)
            #expect(s.index == trace.actions(ofStep: before.step - 1).lowerBound)
            // Inside a step, the key first goes back to the step's start.
            s.jump(to: trace.actions(ofStep: 3).lowerBound + 1)
            if trace.actions(ofStep: 3).count > 1 {
                s.handle(c.key)
                #expect(s.index == trace.actions(ofStep: 3).lowerBound)
            }
        case .first:
            s.handle(c.key)
            #expect(s.index == 0)
        case .last:
            s.handle(c.key)
            #expect(s.index == trace.actionCount - 1)
        case .digit:
            guard case .char(let ch) = c.key, let d = ch.wholeNumberValue else {
                Issue.record("digit binding on a non-digit key \(c.key)")
                return
            }
            s.handle(c.key)
            #expect(s.number == String(d))
            #expect(s.index == before.index, "a digit alone does not move")
            var wide = s
            wide.handle(.resize(width: 160, height: 45))
            #expect(wide.number == String(d), "a resize keeps the typed number")
            #expect(wide.render().text.contains("go to step: \(d)"))
            s.handle(.enter)
            #expect(s.number == "")
            #expect(s.mode == .tables, "Enter after a number goes to the step, it does not open the history")
            if d >= 1 && d <= trace.stepCount {
                #expect(s.step == d - 1)
                #expect(s.index == trace.actions(ofStep: d - 1).lowerBound)
            } else {
                #expect(s.index == before.index)
                #expect(s.message != nil, "going to step \(d) of \(trace.stepCount) must say why not")
            }
        case .enter:
            s.handle(c.key)
            // The history lists the actions that touched the frame, opened near the current one.
            let target = HistoryTarget.frame(Int32(before.selection[TableKind.rmp.rawValue]))
            let listed = trace.actions(touching: target)
            let position = listed.lastIndex { $0 <= before.index } ?? 0
            #expect(s.mode == .history(target, scroll: max(0, position - 3)))
            #expect(s.index == before.index)
        case .nextVariant, .previousVariant:
            // ghcb-upm has three variants: keep, discard, mainline. From keep, v goes to discard and
            // V wraps round to mainline.
            let names = s.scene.variants.map(\.name)
            #expect(names == ["keep", "discard", "mainline"])
            let forward = c.action == .nextVariant
            let expected = forward ? 1 : names.count - 1
            s.handle(c.key)
            #expect(s.variant == expected)
            #expect(s.trace.variant?.name == names[expected])
            #expect(s.step == before.step, "the variant switch keeps the step")
            #expect(s.index == s.trace.actions(ofStep: before.step).lowerBound)
            var wide = s
            wide.handle(.resize(width: 160, height: 45))
            #expect(wide.render().lines[0].contains("variant \(expected + 1)/\(names.count) \(names[expected])"))
            // The discard variant runs on kernel thread, the others on the scene's mainline.
            #expect(wide.render().lines[0].contains(forward ? "kernel thread" : "kernel mainline"))
            // The same key round the other variants leads back to keep, at the same action.
            for _ in 1..<names.count { s.handle(c.key) }
            #expect(s.variant == 0)
            #expect(s.index == before.index)
        case .toggleCompare:
            // ghcb-upm opens at keep: c compares it with the next variant, discard (kernel thread).
            s.handle(c.key)
            #expect(s.compared?.side == .variant("discard"))
            #expect(s.compared?.trace.variant?.name == "discard")
            #expect(s.index == before.index, "opening a comparison does not move")
            #expect(s.render().lines[0].contains("keep · mainline ⇄ discard · thread"))
            s.handle(c.key)
            #expect(s.compared == nil && s.message == "comparison closed")
            #expect(!s.render().lines[0].contains("⇄"))
        case .cycleCompare:
            // With none open, C opens the first candidate; then discard → mainline → kernel thread → kernel v5.
            s.handle(c.key)
            #expect(s.compared?.side == .variant("discard"))
            s.handle(c.key)
            #expect(s.compared?.side == .variant("mainline"))
            s.handle(c.key)
            #expect(s.compared?.side == .settings([.init(key: .kernel, value: "thread")]))
            #expect(s.compared?.trace.config.kernel == .thread && s.compared?.trace.variant?.name == "keep")
            // v5 has no UPM and ghcb-upm converts through the private fd: it is skipped, and said.
            s.handle(c.key)
            #expect(s.compared?.side == .variant("discard"))
            #expect(s.message?.contains("cannot run kernel=v5") == true, "got \(s.message ?? "no message")")
            #expect(s.index == before.index)
        case .toggleHistoryAll:
            // In the tables the key only says where it works; in a history it switches the list.
            s.handle(c.key)
            #expect(s.message?.contains("page history") == true && s.index == before.index)
            s.handle(.enter)
            guard case .history = s.mode else {
                Issue.record("Enter did not open a history")
                return
            }
            #expect(!s.historyShowsAll)
            s.handle(c.key)
            #expect(s.historyShowsAll)
            guard case .history = s.mode else {
                Issue.record("a closed the history")
                return
            }
        case .toggleBanner:
            // Away from a fatal ending the key only flips the flag; the banner test covers the screen.
            s.handle(c.key)
            #expect(s.bannerHidden && s.index == before.index)
            s.handle(c.key)
            #expect(!s.bannerHidden)
        case .nextKernel:
            // keep runs on the scene's kernel, mainline. The next kernel is thread; v5 cannot run
            // ghcb-upm (its `vmm convert` needs UPM), so it is skipped on the way to mainline.
            #expect(before.trace.config.kernel == .mainline)
            var kernels: [String] = [], messages: [String] = []
            for _ in 0..<3 {
                s.handle(c.key)
                kernels.append(s.trace.config.kernel.rawValue)
                messages.append(s.message ?? "")
                #expect(s.step == before.step && s.index == before.index, "the kernel switch keeps the step and action")
                #expect(s.variant == before.variant)
                #expect(s.render().lines[0].contains("kernel \(s.trace.config.kernel.rawValue)"))
                #expect(s.message?.contains("re-run under kernel \(s.trace.config.kernel.rawValue)") == true, "\(s.message ?? "nil")")
            }
            #expect(kernels == ["thread", "mainline", "thread"])
            #expect(messages.map { $0.contains("skipped v5") } == [false, true, false], "\(messages)")
        case .focusNext:
            var seen: [TableKind] = []
            for _ in 0..<4 {
                s.handle(c.key)
                seen.append(s.focus)
            }
            #expect(seen == [.directMap, .sharedFD, .privateFD, .rmp])
        case .focusPrevious:
            var seen: [TableKind] = []
            for _ in 0..<4 {
                s.handle(c.key)
                seen.append(s.focus)
            }
            #expect(seen == [.privateFD, .sharedFD, .directMap, .rmp])
        case .selectUp, .selectPageUp:
            let step = c.action == .selectUp ? 1 : s.layout.tableCapacity
            // Go to the bottom row first, so that moving up is never clamped.
            for _ in 0..<s.rowCount(.rmp) { s.apply(.selectDown) }
            let bottom = s.selection[0]
            #expect(bottom == s.rowCount(.rmp) - 1)
            #expect(s.scroll[0] > 0, "the RMP table scrolled to show its last row")
            Self.expectRowVisible(s, .rmp)
            s.handle(c.key)
            #expect(s.selection[0] == bottom - step)
            #expect(s.index == before.index, "moving the selection does not move the run")
            for _ in 0..<s.rowCount(.rmp) { s.handle(c.key) }
            #expect(s.selection[0] == 0, "clamped at the top")
            #expect(s.scroll[0] == 0)
        case .selectDown, .selectPageDown:
            let step = c.action == .selectDown ? 1 : s.layout.tableCapacity
            let from = s.selection[0]
            s.handle(c.key)
            #expect(s.selection[0] == min(from + step, s.rowCount(.rmp) - 1))
            for _ in 0..<s.rowCount(.rmp) {
                s.handle(c.key)
                Self.expectRowVisible(s, .rmp)
            }
            #expect(s.selection[0] == s.rowCount(.rmp) - 1, "clamped at the bottom")
            #expect(s.scroll[0] == s.rowCount(.rmp) - s.layout.tableCapacity)
            // The selected row is drawn: its pfn is on screen.
            let pfn = hex(s.world.geometry.pfn(Int32(s.selection[0])))
            #expect(s.render().text.contains(pfn))
        case .find:
            s.handle(c.key)
            #expect(s.mode == .find(query: ""))
            s.type("heap")
            #expect(s.mode == .find(query: "heap"))
            s.handle(.enter)
            #expect(s.mode == .tables)
            #expect(s.focus == .sharedFD)
            let heap = try #require(s.world.geometry.slot(ofGFN: 0x30))
            #expect(s.selection[TableKind.sharedFD.rawValue] == s.world.geometry.rank(ofSlot: heap))
        case .help:
            s.handle(c.key)
            #expect(s.mode == .help(scroll: 0))
            #expect(s.render().text.contains("keys (Esc or ? to close)"))
            s.handle(.escape)
            #expect(s.mode == .tables)
            s.handle(c.key)
            s.handle(c.key)
            #expect(s.mode == .tables, "? also closes the help")
            #expect(Snapshot(s) == Snapshot(before))
        case .back:
            s.handle(c.key)
            #expect(Snapshot(s) == Snapshot(before), "Esc on the tables does nothing")
            for opener in [Key.char("?"), .enter, .char("/")] {
                s.handle(opener)
                #expect(s.mode != .tables, "\(opener.label) opens something")
                s.handle(c.key)
                #expect(s.mode == .tables, "\(c.key.label) closes what \(opener.label) opened")
            }
            s.type("42")
            s.handle(c.key)
            #expect(s.number == "", "Esc forgets a typed step number")
        case .quit:
            s.handle(c.key)
            #expect(s.quit)
            for opener in [Key.char("?"), .enter] {
                var t = before
                t.handle(opener)
                t.handle(c.key)
                #expect(t.quit, "\(c.key.label) quits from \(t.mode)")
            }
        case .redraw:
            s.handle(c.key)
            #expect(s.wantsRedraw)
            #expect(s.index == before.index && s.mode == before.mode)
            s.handle(.right)
            #expect(!s.wantsRedraw, "the redraw flag is for one key")
        }
    }

    // MARK: - Keys that do nothing

    static let unknownKeys: [Key] = [
        .char("z"), .char("Z"), .char("x"), .char("!"), .char("é"), .char("😀"), .char("\u{7}"),
        .ctrl("x"), .ctrl("a"), .ctrl("z"),
    ]

    @Test(arguments: unknownKeys)
    func unknownKeysDoNothing(key: Key) throws {
        #expect(KeyMap.action(for: key) == nil)
        var s = try Self.start()
        let before = Snapshot(s)
        s.handle(key)
        #expect(Snapshot(s) == before)
        #expect(s.message == nil)
        s.handle(.char("?"))
        let help = Snapshot(s)
        s.handle(key)
        #expect(Snapshot(s) == help, "an unknown key does not close the help either")
    }

    @Test func qIsTextInFind() throws {
        var s = try Self.start()
        s.handle(.char("/"))
        s.type("q?G")
        #expect(!s.quit)
        #expect(s.mode == .find(query: "q?G"))
        s.handle(.backspace)
        #expect(s.mode == .find(query: "q?"))
        s.handle(.ctrl("c"))
        #expect(s.quit, "Ctrl-C quits even while finding")
    }

    // MARK: - Find

    @Test(arguments: [
        ("ghcb", 0x10, "found ghcb"), ("GHCB", 0x10, "found ghcb"), ("hea", 0x30, "found heap"),
        ("0x10", 0x10, "gfn 0x10: ghcb"), ("0x30", 0x30, "gfn 0x30: heap"), ("16", 0x10, "gfn 0x10: ghcb"),
    ])
    func findSelectsAPage(query: String, gfn: Int, message: String) throws {
        var s = try Self.start()
        s.handle(.char("/"))
        s.type(query)
        s.handle(.enter)
        #expect(s.mode == .tables)
        #expect(s.message == message)
        let g = s.world.geometry
        let slot = try #require(g.slot(ofGFN: gfn))
        #expect(s.focus == .sharedFD)
        #expect(s.selection[TableKind.sharedFD.rawValue] == g.rank(ofSlot: slot))
        #expect(s.selection[TableKind.privateFD.rawValue] == g.rank(ofSlot: slot))
        Self.expectRowVisible(s, .sharedFD)
    }

    /// The find prompt and the answer to a key are the last paragraphs of the narration; they must
    /// not be the ones cut when the narration is longer than its box.
    @Test(arguments: [FrameSize.wide, FrameSize.narrow])
    func findPromptAndAnswerAreOnScreen(size: FrameSize) throws {
        for action in [0, 3, 8] {
            var s = try Fixture.state("ghcb-upm", width: size.width, height: size.height)
            s.jump(to: action)
            s.handle(.char("/"))
            s.type("0x3")
            #expect(s.render().text.contains("find: 0x3"), "action \(action + 1): the find prompt is not on screen:\n\(s.render().text)")
            s.handle(.char("0"))
            s.handle(.enter)
            #expect(s.message == "gfn 0x30: heap")
            #expect(s.render().text.contains("» gfn 0x30: heap"), "action \(action + 1): the find's answer is not on screen:\n\(s.render().text)")
            s.handle(.char("3"))
            #expect(s.render().text.contains("go to step: 3"), "action \(action + 1): the typed step number is not on screen")
        }
    }

    @Test func findByPfnSelectsTheFrame() throws {
        var s = try Self.start()
        for (query, row) in [("0x100", 0), ("0x10f", 15), ("0x105", 5)] {
            s.handle(.char("/"))
            s.type(query)
            s.handle(.enter)
            #expect(s.message == "pfn \(query)")
            #expect(s.focus == .rmp)
            #expect(s.selection[TableKind.rmp.rawValue] == row)
            #expect(s.selection[TableKind.directMap.rawValue] == row)
            Self.expectRowVisible(s, .rmp)
            Self.expectRowVisible(s, .directMap)
        }
    }

    @Test func findWithoutAMatchSaysSo() throws {
        var s = try Self.start()
        let before = Snapshot(s)
        s.handle(.char("/"))
        s.type("nosuch")
        s.handle(.enter)
        #expect(s.message == "no page, gfn or pfn matches 'nosuch'")
        #expect(s.selection == before.selection)
        s.handle(.char("/"))
        s.type("0x999")
        s.handle(.enter)
        #expect(s.message?.contains("0x999") == true)
    }

    @Test func escapeCancelsAFind() throws {
        var s = try Self.start()
        let before = Snapshot(s)
        s.handle(.char("/"))
        s.type("heap")
        s.handle(.escape)
        #expect(Snapshot(s) == before)
    }

    // MARK: - Ends of the run

    @Test func movingPastTheEndsSaysSo() throws {
        var s = try Fixture.state("ghcb-upm")
        s.handle(.left)
        #expect(s.index == 0)
        #expect(s.message == "this is the first action")
        s.handle(.char("["))
        #expect(s.index == 0)
        #expect(s.message == "this is the first step")
        s.handle(.char("G"))
        #expect(s.message == nil)
        let last = s.index
        s.handle(.right)
        #expect(s.index == last)
        #expect(s.message == "this is the last action")
        #expect(s.render().text.contains("» this is the last action"))
        s.handle(.char("]"))
        #expect(s.index == last)
        #expect(s.message == "there are 6 steps")
        s.handle(.char("j"))
        #expect(s.message == nil, "a message answers one key")
    }

    /// The discard run of the GHCB scene, with two steps after the panic.
    static let earlyPanic = """
        title "Panic before the end"
        config kernel thread
        config upm on
        config directmap-unmap on
        config discard-on-convert on
        pfns 0x100..0x10f
        page ghcb gfn=0x10 shared label="GHCB"
        page heap gfn=0x30 unbacked
        step "KVM maps the GHCB"
          kvm map ghcb via=kmap
        step "The guest converts the GHCB"
          guest psc ghcb private
          kvm exit ghcb
          vmm convert ghcb private
        step "The frame is reused"
          guest psc heap private
          kvm exit heap
          vmm convert heap private
          kvm resume
          guest pvalidate heap on
        step "KVM writes the GHCB"
          kvm write ghcb
          kvm resume
        step "Never reached"
          kvm map ghcb via=kmap
        step "Never reached either"
          guest psc ghcb shared
        """

    @Test func afterAFatalEndingStepsAreNotReached() throws {
        var s = try Fixture.state(text: Self.earlyPanic)
        #expect(s.trace.ending.raised?.outcome.severity == .fatal)
        #expect(s.trace.stepsRun == 4)
        s.handle(.char("G"))
        #expect(s.step == 3)
        let text = s.render().text
        #expect(text.contains("Kernel panic - not syncing: Fatal exception"))
        #expect(text.contains("Steps 5–6 not reached: the run stopped here."))
        s.handle(.char("]"))
        #expect(s.index == s.trace.actionCount - 1)
        let message = try #require(s.message)
        #expect(message.contains("step 5 is not reached"), "\(message)")
        #expect(s.render().text.contains("step 5 is not reached"))
        s.handle(.right)
        #expect(s.message?.contains("not reached") == true, "\(s.message ?? "nil")")
        s.type("6")
        s.handle(.enter)
        #expect(s.message?.contains("step 6 is not reached") == true, "\(s.message ?? "nil")")
        s.handle(.char("g"))
        s.type("6")
        s.handle(.enter)
        #expect(s.index == s.trace.actionCount - 1, "going to an unreached step shows the ending")
    }

    @Test func switchingToAVariantThatEndsEarlierShowsItsEnding() throws {
        let text = Self.earlyPanic.replacingOccurrences(of: "config discard-on-convert on\n", with: "")
            + "\nvariant keep \"keep\"\nvariant discard \"discard\"\n  set discard-on-convert on\n"
        var s = try Fixture.state(text: text)
        #expect(s.traces.count == 2)
        s.handle(.char("G"))
        #expect(s.step == 5)
        s.handle(.char("v"))
        #expect(s.variant == 1)
        #expect(s.index == s.trace.actionCount - 1)
        #expect(s.message?.contains("not reached") == true)
    }

    // MARK: - Terminal size

    @Test func resizeToOneByOneAndBack() throws {
        var s = try Fixture.state("ghcb-upm")
        s.jump(to: 5)
        s.handle(.resize(width: 1, height: 1))
        #expect(s.width == 1 && s.height == 1)
        let tiny = s.render()
        #expect(tiny.width == 1 && tiny.height == 1)
        s.handle(.char("]"))
        s.handle(.char("?"))
        #expect(s.index == 5 && s.mode == .tables, "keys other than q do nothing on a too-small screen")
        s.handle(.resize(width: 0, height: -3))
        #expect(s.width >= 1 && s.height >= 1)
        _ = s.render()
        s.handle(.resize(width: 79, height: 23))
        #expect(s.render().text.contains("terminal too small: have 79×23, need 80×23"))
        s.handle(.resize(width: 80, height: 23))
        #expect(s.render().text.contains("RMP table"), "80×23 (80×24 with a tmux status line) is enough")
        s.handle(.resize(width: 160, height: 45))
        let text = s.render().text
        #expect(text.contains("RMP table") && text.contains("private fd"))
        #expect(s.index == 5)
        ReducerTests.expectRowVisible(s, .rmp)
        s.handle(.resize(width: 1, height: 1))
        s.handle(.char("q"))
        #expect(s.quit, "q still quits on a too-small screen")
    }

    @Test func resizeKeepsTheActivePageInView() throws {
        var s = try Fixture.state("ghcb-upm")
        s.jump(to: s.trace.actionCount - 1)
        s.handle(.resize(width: 80, height: 24))
        for t in TableKind.allCases { ReducerTests.expectRowVisible(s, t) }
    }

    // MARK: - Mouse

    @Test func clickSelectsTheRowUnderIt() throws {
        var s = try Fixture.state("ghcb-upm")
        let layout = s.layout
        let box = layout.tables[TableKind.directMap.rawValue]
        let y = box.y + 2 + 6
        s.handle(.click(x: box.x + 3, y: y))
        #expect(s.focus == .directMap)
        #expect(s.selection[TableKind.directMap.rawValue] == s.scroll[TableKind.directMap.rawValue] + 6)
        let pfn = hex(s.world.geometry.pfn(Int32(s.selection[TableKind.directMap.rawValue])))
        let grid = s.render()
        #expect(grid.lines[y].contains(pfn), "the clicked line shows pfn \(pfn): \(grid.lines[y])")
        // The selected row is drawn selected.
        #expect(grid.styledRuns(row: y).contains { $0.style.role == .selected && $0.x >= box.x && $0.x < box.maxX })

        // A click on the shared fd table selects there.
        let shared = layout.tables[TableKind.sharedFD.rawValue]
        s.handle(.click(x: shared.x + 2, y: shared.y + 2))
        #expect(s.focus == .sharedFD)
        #expect(s.selection[TableKind.sharedFD.rawValue] == s.scroll[TableKind.sharedFD.rawValue])

        // A click on a title focuses without moving the selection; one outside the tables does nothing.
        let before = s.selection
        s.handle(.click(x: box.x + 3, y: box.y))
        #expect(s.focus == .directMap)
        #expect(s.selection == before)
        let snap = Snapshot(s)
        s.handle(.click(x: 2, y: layout.narration.y + 2))
        s.handle(.click(x: -5, y: 1000))
        #expect(Snapshot(s) == snap)
    }

    @Test func wheelScrollsTheTableUnderThePointer() throws {
        var s = try Fixture.state("ghcb-upm", width: 100, height: 30)
        let layout = s.layout
        let capacity = layout.tableCapacity
        let rmp = layout.tables[TableKind.rmp.rawValue]
        let start = s.scroll[0]
        let others = Array(s.scroll.dropFirst())
        #expect(s.rowCount(.rmp) - capacity >= start + 3, "the RMP table has rows to scroll to")
        s.handle(.wheelDown(x: rmp.x + 2, y: rmp.y + 3))
        #expect(s.scroll[0] == start + 3)
        #expect(Array(s.scroll.dropFirst()) == others, "only the table under the pointer scrolls")
        for _ in 0..<20 { s.handle(.wheelDown(x: rmp.x + 2, y: rmp.y + 3)) }
        #expect(s.scroll[0] == s.rowCount(.rmp) - capacity, "the wheel stops at the last row")
        for _ in 0..<20 { s.handle(.wheelUp(x: rmp.x + 2, y: rmp.y + 3)) }
        #expect(s.scroll[0] == 0)
        // The scrolled table shows its first pfn again.
        #expect(s.render().text.contains("0x100"))
        // In the help, the wheel scrolls the help.
        s.handle(.char("?"))
        s.handle(.wheelDown(x: 10, y: 10))
        #expect(s.mode == .help(scroll: 3))
    }

    // MARK: - A scene of 262,144 pages

    static let bigScene = """
        title "262,144 pages"
        config discard-on-convert on
        pfns 0x100000..0x140fff
        page big gfn=0x0..0x3ffff shared
        step "The VMM converts everything"
          vmm convert big private
        """

    @Test func aLargeSceneOpensJumpsRendersAndFinds() throws {
        var s = try Fixture.state(text: Self.bigScene)
        #expect(s.rowCount(.sharedFD) == 262_144)
        #expect(s.trace.actionCount >= 262_144)
        #expect(s.render().text.contains("RMP table"))
        s.handle(.char("G"))
        #expect(s.index == s.trace.actionCount - 1)
        let slot = try #require(s.activeSlot)
        let gfn = s.world.geometry.gfn(ofSlot: slot)
        #expect(gfn == 0x3ffff)
        for t in TableKind.allCases { ReducerTests.expectRowVisible(s, t) }
        let text = s.render().text
        #expect(text.contains(hex(gfn)), "the rows follow the active page: \(hex(gfn)) is not on screen")
        #expect(text.contains("big[262143]") || text.contains("big"), "the page's name is shown")

        s.handle(.char("/"))
        s.type("0x3fff0")
        s.handle(.enter)
        #expect(s.message?.hasPrefix("gfn 0x3fff0") == true, "\(s.message ?? "nil")")
        #expect(s.selection[TableKind.sharedFD.rawValue] == 0x3fff0)
        ReducerTests.expectRowVisible(s, .sharedFD)
        ReducerTests.expectRowVisible(s, .rmp)
        #expect(s.render().text.contains("0x3fff0"))

        s.handle(.char("g"))
        #expect(s.index == 0)
        #expect(s.render().text.contains("0x0 "))
    }
}
