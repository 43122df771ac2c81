// The presenter (`rmpviz present`) over the built-in talk deck: title cards, remote keys, blanking,
// the clock, the footer and the notes; reloads (`--watch`) and the fit check (`check --fit`).
import BuiltinAssets
import BuiltinScenes
import MemoryModel
import SceneLanguage
import Screen
import StepEngine
import TestSupport
import Testing
import Viewer

/// The talk deck's scenes, built as `rmpviz present talk` builds them.
enum Talk {
    /// (scene file, variant name, settings explored over) for each `scene` or `explore` line of talk.deck.
    static let lines: [(file: String, variant: String?, explore: [SettingKey]?, compare: String?)] = {
        guard let file = BuiltinScenes.named("talk"),
              case .success(let deck) = parseDeck(bytes: file.bytes, path: "scenes/talk.deck") else { return [] }
        return deck.entries.map { ($0.reference, $0.variant, $0.explore, $0.compare) }
    }()

    static let entries: [PresentEntry] = lines.compactMap { line in
        guard let file = BuiltinScenes.named(line.file),
              case .success(let scene) = parseScene(bytes: file.bytes, path: "scenes/\(file.fileName)") else { return nil }
        let traces = Engine.runAll(scene)
        let variant = line.variant.flatMap { v in traces.firstIndex { $0.variant?.name == v } } ?? 0
        // An `explore` line: the outcome matrix, as `present` computes it.
        let exploration = line.explore.map { keys in
            Exploration.run(scene, variant: scene.variants.isEmpty ? nil : variant, over: keys)
        }
        // A `compare=` line: the right side, read against the scene as `present` reads it.
        let compare = line.compare.flatMap { text -> CompareSide? in
            if case .success(let side) = CompareSide.parse(text, scene: scene) { return side }
            return nil
        }
        return PresentEntry(traces: traces, variant: variant, exploration: exploration, compare: compare)
    }

    /// How many PgDn take the presenter from the first title card to the end of the talk: a scene is
    /// its card and its actions, then the next card; an `explore` entry is its card, then its matrix.
    static var pageDownsToTheEnd: Int {
        entries.reduce(0) { $0 + ($1.exploration == nil ? $1.traces[$1.variant].actionCount + 1 : 2) } - 1
    }

    static let font = FigletFont(BuiltinAssets.titleFont)

    static func presenter(width: Int = 160, height: Int = 45, now: Double = 0,
                          sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> PresenterState {
        try #require(!entries.isEmpty && entries.count == lines.count, "talk.deck: \(lines.count) lines, \(entries.count) scenes built",
                     sourceLocation: sourceLocation)
        try #require(font != nil, "the title font does not parse", sourceLocation: sourceLocation)
        return try #require(PresenterState(entries: entries, font: font, width: width, height: height, now: now),
                            sourceLocation: sourceLocation)
    }
}

extension PresenterState {
    mutating func press(_ keys: Key..., now: Double = 0) {
        for k in keys { handle(k, now: now) }
    }

    /// Where the presenter is: scene, card or action.
    var position: String { onCard ? "scene \(current) card" : "scene \(current) action \(viewer.index) variant \(viewer.variant)" }
}

/// The text without spaces at either end.
func trimmed(_ s: String) -> String {
    String(s.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
}

extension Grid {
    /// Every non-space character drawn, with its place (for a blank screen: none at all).
    var inked: [String] {
        var out: [String] = []
        for y in 0..<height {
            for x in 0..<width where self[x, y].text != " " && !self[x, y].text.isEmpty {
                out.append("(\(x),\(y)) '\(self[x, y].text)'")
            }
        }
        return out
    }
}

@Suite struct PresenterTests {
    @Test func theTalkDeckHasItsScenesWithTheirVariants() throws {
        let p = try Talk.presenter()
        // talk.deck has 16 entries: 15 scene lines (upm-basics, two of no-upm-host-write, two of
        // implicit-conversion, pf-fixup, three of kmap-guard, psc-refused, guard-race, four of
        // ghcb-upm, the last compared with mainline), then one explore line: ghcb-race's outcome matrix.
        #expect(p.entries.count == 16)
        #expect(p.entries.filter { $0.compare != nil }.count == 1)
        #expect(p.entries[14].compare == .variant("mainline") && p.entries[14].traces[p.entries[14].variant].variant?.name == "discard")
        #expect(p.entries.count == Talk.lines.count)
        #expect(p.entries.filter { $0.exploration != nil }.count == 1)
        #expect(p.entries.last?.exploration != nil, "the talk ends with a matrix")
        // Every line's variant is honoured, a line without one opens the scene's first run; an
        // explore line, and only that, has a matrix.
        for (entry, line) in zip(p.entries, Talk.lines) {
            let run = entry.traces[entry.variant]
            #expect(run.variant?.name == line.variant ?? entry.traces[0].variant?.name, "\(line)")
            #expect((entry.exploration != nil) == (line.explore != nil), "\(line)")
        }
        // For instance no-upm-host-write unmapped then mapped.
        let second = p.entries[1], third = p.entries[2]
        #expect(second.traces[second.variant].variant?.name == "unmapped")
        #expect(third.traces[third.variant].variant?.name == "mapped")
    }

    @Test func startsOnTheFirstTitleCard() throws {
        let p = try Talk.presenter()
        #expect(p.onCard)
        #expect(p.current == 0)
        #expect(!p.blanked)
        #expect(p.scene.title == "guest_memfd basics")
        let text = p.render(now: 0).text
        #expect(text.contains("scene 1/\(Talk.lines.count)"))
        #expect(text.contains("→ to begin"))
        #expect(!text.contains("RMP table"), "the title card shows the tables:\n\(text)")
        // The source on one line, cut with an ellipsis when wider than the card (160 - 8 columns).
        let source = try #require(p.scene.source)
        let line = try #require(p.render(now: 0).lines.first { $0.contains(String(source.prefix(30))) }, "no source on the card")
        let shown = trimmed(line)
        if source.count > 152 {
            #expect(shown.hasSuffix("…") && shown.count == 152, "\(shown)")
            #expect(source.hasPrefix(String(shown.dropLast())), "\(shown)")
        } else {
            #expect(shown == source)
        }
        // And the kernel the run stands for: upm-basics is a mainline scene.
        #expect(text.contains("kernel mainline"))
    }

    @Test func theTitleCardDrawsTheTitleInFigletLetters() throws {
        let p = try Talk.presenter()
        let font = try #require(Talk.font)
        let lines = p.render(now: 0).lines
        let blocks = try #require(font.wrap(p.scene.title, width: 160 - 8))
        var checked = 0
        for row in blocks.flatMap({ $0 }) where trimmed(row).count > 10 {
            let ink = trimmed(row)
            checked += 1
            #expect(lines.contains { $0.contains(ink) }, "FIGlet row '\(ink)' is not on the card")
        }
        #expect(checked >= 3)
        // The about text is there too (its first words; it wraps).
        #expect(lines.joined(separator: " ").contains("A tour of the four tables on mainline"))
    }

    @Test(arguments: [Key.pageDown, .char(" "), .right])
    func forwardKeysLeaveTheCardThenMoveOneAction(key: Key) throws {
        var p = try Talk.presenter()
        p.press(key)
        #expect(!p.onCard)
        #expect(p.current == 0)
        #expect(p.viewer.index == 0)
        p.press(key)
        #expect(p.viewer.index == 1)
        p.press(key)
        #expect(p.viewer.index == 2)
    }

    @Test(arguments: [Key.pageUp, .left])
    func backKeysMoveOneActionBack(key: Key) throws {
        var p = try Talk.presenter()
        p.press(.pageDown, .pageDown, .pageDown)
        #expect(p.viewer.index == 2)
        p.press(key)
        #expect(p.viewer.index == 1)
        p.press(key)
        #expect(p.viewer.index == 0)
        #expect(!p.onCard)
        // From the first action back to the card.
        p.press(key)
        #expect(p.onCard)
        #expect(p.current == 0)
        // The first card is the start: nothing before it.
        p.press(key)
        #expect(p.onCard)
        #expect(p.current == 0)
    }

    @Test func theLastActionOfASceneLeadsToTheNextTitleCard() throws {
        var p = try Talk.presenter()
        let count = p.viewer.trace.actionCount
        p.press(.pageDown)
        for _ in 1..<count { p.press(.pageDown) }
        #expect(p.current == 0)
        #expect(p.viewer.index == count - 1, "at the last action")
        p.press(.pageDown)
        #expect(p.current == 1)
        #expect(p.onCard)
        #expect(p.scene.title == "Before UPM: a host write")
        // And back: from a card to the previous scene's last action.
        p.press(.pageUp)
        #expect(p.current == 0)
        #expect(!p.onCard)
        #expect(p.viewer.index == count - 1)
    }

    @Test func backFromACardOpensThePreviousSceneInItsDeckVariant() throws {
        var p = try Talk.presenter()
        p.press(.char("}"), .char("}"))
        #expect(p.current == 2)
        p.press(.left)
        #expect(p.current == 1)
        #expect(!p.onCard)
        #expect(p.viewer.trace.variant?.name == "unmapped")
        #expect(p.viewer.index == p.viewer.trace.actionCount - 1)
    }

    @Test func bracesJumpScenes() throws {
        var p = try Talk.presenter()
        p.press(.char("}"))
        #expect(p.current == 1 && p.onCard)
        p.press(.pageDown, .pageDown)
        #expect(p.viewer.index == 1)
        p.press(.char("}"))
        #expect(p.current == 2 && p.onCard)
        #expect(p.viewer.index == 0, "a new scene starts at its first action")
        #expect(p.viewer.trace.variant?.name == "mapped")
        p.press(.char("{"))
        #expect(p.current == 1 && p.onCard)
        p.press(.char("{"), .char("{"))
        #expect(p.current == 0 && p.onCard, "no scene before the first")
        let n = p.entries.count
        for _ in 0..<(n + 3) { p.press(.char("}")) }
        #expect(p.current == n - 1 && p.onCard, "no scene after the last")
    }

    @Test func pageDownThroughTheWholeDeckReachesTheEnd() throws {
        var p = try Talk.presenter()
        var seen: [Int] = []
        for _ in 0..<Talk.pageDownsToTheEnd {
            p.press(.pageDown)
            if seen.last != p.current { seen.append(p.current) }
        }
        let n = p.entries.count
        #expect(seen == Array(0..<n))
        // The end: the last action of the last scene, or the matrix when the talk ends with one.
        func atTheEnd() -> Bool {
            guard p.current == n - 1, !p.onCard else { return false }
            if p.entries[n - 1].exploration != nil { return p.matrix != nil }
            return p.viewer.index == p.viewer.trace.actionCount - 1
        }
        #expect(atTheEnd(), "\(p.position)")
        // More presses stay at the end.
        p.press(.pageDown, .pageDown)
        #expect(atTheEnd(), "\(p.position)")
        #expect(p.progress(now: 0).hasPrefix("scene \(n)/\(n) "))
    }

    @Test(arguments: [Character("b"), "."])
    func theBlankKeyBlanksEverythingAndBringsItBack(key: Character) throws {
        var p = try Talk.presenter()
        p.press(.pageDown, .pageDown)
        let before = p.render(now: 75).text
        p.press(.char(key))
        #expect(p.blanked)
        let blank = p.render(now: 75)
        #expect(blank.width == 160 && blank.height == 45)
        #expect(blank.inked.isEmpty, "the blank screen shows: \(blank.inked.prefix(20))")
        p.press(.char(key))
        #expect(!p.blanked)
        #expect(p.render(now: 75).text == before)
    }

    @Test func aTitleCardBlanksToo() throws {
        var p = try Talk.presenter()
        p.press(.char("."))
        #expect(p.blanked)
        #expect(p.render(now: 3725).inked.isEmpty)
        p.press(.char("."))
        #expect(!p.blanked && p.onCard)
    }

    @Test func otherKeysAreIgnoredWhileBlank() throws {
        var p = try Talk.presenter()
        p.press(.pageDown, .pageDown)
        p.press(.char("b"), now: 10)
        let position = p.position
        for key: Key in [.pageDown, .char(" "), .right, .pageUp, .left, .char("}"), .char("{"), .char("v"),
                         .char("?"), .char("G"), .char("]"), .enter, .char("t")] {
            p.press(key, now: 100)
            #expect(p.blanked, "\(key) unblanked the screen")
            #expect(p.position == position, "\(key) moved while blank: \(p.position)")
            #expect(p.render(now: 100).inked.isEmpty, "\(key) drew on the blank screen")
        }
        #expect(p.viewer.mode == .tables, "? opened help behind the blank screen")
        #expect(p.clock(now: 100) == "1:40", "t reset the clock while blank")
        p.press(.char("b"), now: 100)
        #expect(!p.blanked)
        #expect(p.position == position)
    }

    @Test func tResetsTheClock() throws {
        var p = try Talk.presenter(now: 1000)
        #expect(p.clock(now: 1000) == "0:00")
        #expect(p.clock(now: 1125) == "2:05")
        #expect(p.clock(now: 1000 + 3725) == "1:02:05")
        p.press(.char("t"), now: 1125)
        #expect(p.clock(now: 1125) == "0:00")
        #expect(p.clock(now: 1130.5) == "0:05")
        // Off the card too.
        p.press(.pageDown, now: 1200)
        p.press(.char("t"), now: 1300)
        #expect(p.clock(now: 1300) == "0:00")
        #expect(p.viewer.index == 0, "t moved")
    }

    @Test func theViewersKeysStillWork() throws {
        var p = try Talk.presenter()
        p.press(.char("}"), .pageDown)
        #expect(p.viewer.trace.variant?.name == "unmapped")
        p.press(.char("v"))
        #expect(p.viewer.trace.variant?.name == "mapped", "v did not switch variant")
        p.press(.char("?"))
        #expect(p.viewer.mode == .help(scroll: 0), "? did not open help")
        #expect(p.render(now: 0).text.contains("keys (Esc or ? to close)"))
        p.press(.escape)
        #expect(p.viewer.mode == .tables)
        p.press(.char("]"))
        #expect(p.viewer.step == 1, "] did not go to the next step")
        p.press(.char("q"))
        #expect(p.quit)
    }

    @Test func aViewerKeyOnATitleCardLeavesItAndActs() throws {
        var p = try Talk.presenter()
        p.press(.char("}"))
        #expect(p.onCard)
        p.press(.char("v"))
        #expect(!p.onCard, "v left the card")
        #expect(p.viewer.trace.variant?.name == "mapped", "and switched variant")
        p.press(.char("}"), .char("?"))
        #expect(!p.onCard)
        #expect(p.viewer.mode == .help(scroll: 0))
        p.press(.escape, .char("}"), .char("x"))
        #expect(p.onCard, "a key that means nothing keeps the card")
    }

    @Test func qQuitsFromATitleCard() throws {
        var p = try Talk.presenter()
        p.press(.char("q"))
        #expect(p.quit)
    }

    @Test func theFooterShowsSceneStepActionAndClock() throws {
        var p = try Talk.presenter(now: 0)
        p.press(.pageDown, .pageDown)
        let steps = p.viewer.trace.stepCount, actions = p.viewer.trace.actionCount
        let expected = "scene 1/\(p.entries.count) · step \(p.viewer.step + 1)/\(steps) · action 2/\(actions) · ⏱ 1:05"
        #expect(p.progress(now: 65) == expected)
        let lines = p.render(now: 65).lines
        #expect(lines.last?.contains(expected) == true, "footer: '\(lines.last ?? "")'")
        // It follows the position.
        p.press(.char("]"))
        let footer = p.render(now: 65).lines.last ?? ""
        #expect(footer.contains("step 2/\(steps)"), "footer: '\(footer)'")
        #expect(p.render(now: 3725).lines.last?.contains("⏱ 1:02:05") == true)
        // The card shows the scene and the clock.
        var q = try Talk.presenter(now: 0)
        q.press(.char("}"))
        #expect(q.render(now: 61).text.contains("scene 2/\(q.entries.count) · ⏱ 1:01"))
    }

    @Test func notesHoldTheStepTheNextStepAndTheTime() throws {
        var p = try Talk.presenter(now: 0)
        p.press(.pageDown)
        let notes = p.notes(now: 65)
        let step0 = p.scene.steps[0], step1 = p.scene.steps[1]
        #expect(notes.contains("elapsed 1:05"))
        #expect(notes.contains("scene 1/\(p.entries.count): guest_memfd basics"))
        #expect(notes.contains("step 1/\(p.viewer.trace.stepCount): \(step0.title)"))
        #expect(!step0.notes.isEmpty, "the first step of upm-basics has notes")
        for n in step0.notes { #expect(notes.contains(n)) }
        #expect(notes.contains("next: step 2: \(step1.title)"), "\(notes)")
        // A step without notes says so.
        p.press(.char("]"))
        if p.scene.steps[1].notes.isEmpty { #expect(p.notes(now: 0).contains("(no notes for this step)")) }
        #expect(p.notes(now: 0).contains("next: step 3: \(p.scene.steps[2].title)"))
    }

    @Test func notesAtASceneEndNameTheNextScene() throws {
        var p = try Talk.presenter()
        p.press(.pageDown, .char("G"))
        #expect(p.viewer.index == p.viewer.trace.actionCount - 1)
        let notes = p.notes(now: 0)
        #expect(notes.contains("next: scene 2: Before UPM: a host write"), "\(notes)")
        // On a card: the scene's about, and its first step next.
        p.press(.pageDown)
        #expect(p.onCard)
        let card = p.notes(now: 0)
        #expect(card.contains("title card"))
        #expect(card.contains("next: step 1: \(p.scene.steps[0].title)"), "\(card)")
        // At the very end of the talk.
        let n = p.entries.count
        for _ in 0..<(n - 1) { p.press(.char("}")) }
        p.press(.pageDown, .char("G"))
        #expect(p.current == n - 1)
        #expect(p.notes(now: 0).contains("next: the end"))
    }

    @Test func titleCardGolden160x45() throws {
        let p = try Talk.presenter(width: 160, height: 45, now: 0)
        expectGolden(p.render(now: 0).text, named: "presenter-title-card-160x45")
    }

    @Test func titleCardGolden80x24() throws {
        let p = try Talk.presenter(width: 80, height: 24, now: 0)
        let grid = p.render(now: 0)
        #expect(grid.width == 80 && grid.height == 24)
        expectGolden(grid.text, named: "presenter-title-card-80x24")
    }

    @Test func aResizeReachesTheViewer() throws {
        var p = try Talk.presenter()
        p.press(.resize(width: 100, height: 30))
        let grid = p.render(now: 0)
        #expect(grid.width == 100 && grid.height == 30)
    }
}

@Suite struct ReloadTests {
    @Test func reloadKeepsVariantByNameStepAndActionOffset() throws {
        let runs = try #require(Fixture.runs["ghcb-upm"])
        let discard = try #require(runs.firstIndex { $0.variant?.name == "discard" })
        #expect(discard != 0)
        var s = try Fixture.state("ghcb-upm", variant: discard)
        // Step 3 (the VMM converts the GHCB: on discard's kernel thread, set-attr, alloc, discard),
        // its second action.
        let range = s.trace.actions(ofStep: 2)
        #expect(range.count > 1)
        let offset = min(1, range.count - 1)
        s.jump(to: range.lowerBound + offset)
        #expect(s.step == 2)
        // The same scene, variants in another order: "discard" is now the first run.
        var reordered = runs
        reordered.insert(reordered.remove(at: discard), at: 0)
        s.reload(traces: reordered)
        #expect(s.variant == 0)
        #expect(s.trace.variant?.name == "discard")
        #expect(s.step == 2)
        #expect(s.index - s.trace.actions(ofStep: 2).lowerBound == offset)
    }

    @Test func reloadGoesToTheNearestStepWhenTheStepIsGone() throws {
        let full = try #require(BuiltinScenes.named("upm-basics")?.text)
        var s = try Fixture.state(text: full)
        let steps = s.trace.stepCount
        #expect(steps == 8)
        s.jump(to: s.trace.actions(ofStep: 6).lowerBound)
        #expect(s.step == 6)
        // Cut the scene after its fourth step.
        let cut = try #require(full.range(of: "step \"The guest uses its private page\""))
        let shorter = String(full[..<cut.lowerBound])
        let traces = Engine.runAll(try Fixture.scene(shorter))
        #expect(traces[0].stepCount == 4)
        s.reload(traces: traces)
        #expect(s.trace.stepCount == 4)
        #expect(s.step == 3, "expected the last step left, the nearest to step 7")
        #expect(s.index >= 0 && s.index < s.trace.actionCount)
    }

    @Test func diagnosticsShowUntilAReload() throws {
        var s = try Fixture.state("ghcb-upm")
        s.jump(to: 3)
        let good = s.render().text
        #expect(!good.contains("the edited file has errors"))
        s.showDiagnostics(["test.scene:7:3: error: unknown statement 'frobnicate'"])
        let broken = s.render().text
        #expect(broken.contains("the edited file has errors"))
        #expect(broken.contains("test.scene:7:3: error: unknown statement 'frobnicate'"))
        // The last good version keeps running underneath.
        #expect(broken.contains("RMP table"))
        #expect(s.index == 3)
        s.reload(traces: try #require(Fixture.runs["ghcb-upm"]))
        #expect(s.diagnostics.isEmpty)
        #expect(!s.render().text.contains("the edited file has errors"))
        #expect(s.index == 3)
    }

    @Test func thePresenterShowsDiagnosticsToo() throws {
        var p = try Talk.presenter()
        p.press(.pageDown, .pageDown)
        p.showDiagnostics(["talk.deck:3:1: error: boom"])
        let text = p.render(now: 0).text
        #expect(text.contains("the edited file has errors"))
        #expect(text.contains("talk.deck:3:1: error: boom"))
        p.reload(entries: Talk.entries)
        #expect(!p.render(now: 0).text.contains("the edited file has errors"))
        #expect(p.current == 0 && !p.onCard && p.viewer.index == 1)
    }
}

@Suite struct FitCheckTests {
    @Test(arguments: Fixture.sceneNames)
    func builtinScenesFitAt160x45(name: String) throws {
        let runs = try #require(Fixture.runs[name])
        for variant in runs.indices {
            var s = try Fixture.state(name, variant: variant)
            for a in 0..<s.trace.actionCount {
                s.jump(to: a)
                let problems = FitCheck.problems(s)
                #expect(problems.isEmpty, "\(name) variant \(variant) action \(a + 1): \(problems)")
            }
        }
    }

    static let longLabels = """
        title "Long labels"
        pfns 0x100..0x10f
        page p gfn=0x10 shared label="\(String(repeating: "a very long page label ", count: 3).prefix(60))"
        step "A step title that goes on and on and on, far longer than any narrow terminal could ever show in one line"
          guest write p
          say "Writes the page."
        """

    @Test func longLabelsDoNotFitAt80x24() throws {
        let traces = Engine.runAll(try Fixture.scene(Self.longLabels))
        var s = try #require(ViewerState(traces: traces, width: 80, height: 24))
        var all: [String] = []
        for a in 0..<s.trace.actionCount {
            s.jump(to: a)
            all += FitCheck.problems(s)
        }
        #expect(!all.isEmpty)
        #expect(all.contains { $0.contains("text cut off") }, "\(all)")
        #expect(all.contains { p in TableKind.allCases.contains { p.hasPrefix($0.title) } }, "no problem names a table: \(all)")
        // The cut label is in the fd tables.
        #expect(all.contains { $0.hasPrefix("shared fd: text cut off") }, "\(all)")
        #expect(all.contains { $0.hasPrefix("private fd: text cut off") }, "\(all)")
        // The top line drops the long step title rather than cutting it.
        #expect(!all.contains { $0.hasPrefix("top line") }, "\(all)")
    }

    @Test func belowTheMinimumSizeIsAProblem() throws {
        let s = try Fixture.state("upm-basics", width: 60, height: 20)
        let problems = FitCheck.problems(s)
        #expect(problems == ["the screen is below 80×23"])
    }
}
