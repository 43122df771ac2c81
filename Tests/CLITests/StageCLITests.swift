// The stage features with the real binary: `check --fit`, `--theme`, `present` (its refusals, and
// under tmux: title cards, the whole talk with PgDn, blanking, quitting, `--notes`) and `--watch`.
// Every wait polls the pane or the file for a condition; nothing depends on timing.
import BuiltinAssets
import BuiltinScenes
import Foundation
import SceneLanguage
import Screen
import StepEngine
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A scene whose page label and step title are far too long for 80×24.
private let longLabelScene = """
    title "Long labels"
    pfns 0x100..0x10f
    page p gfn=0x10 shared label="a very long page label a very long page label a very long pa"
    step "A step title that goes on and on and on, far longer than any narrow terminal could ever show"
      guest write p
      say "Writes the page."
    """

/// Runs the binary with a terminal type set and stdin from /dev/null (not a terminal).
private func runWithoutTerminal(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let binary = try ViewerBinary.require()
    var env = ProcessInfo.processInfo.environment
    env["TERM"] = "xterm-256color"
    env["LANG"] = "C.UTF-8"
    env["NO_COLOR"] = "1"
    return try runProgram(binary, arguments, environment: env)
}

@Suite struct StageCLITests {
    // MARK: check --fit

    @Test func checkFitOfABuiltinSceneAtProjectorSizeIsClean() throws {
        let r = try BinaryRunner.run(["check", "--fit", "160x45", "upm-basics"])
        expectStatus(r, 0)
        #expect(!r.outLines.isEmpty)
        // Ok lines, then the --fit summary (issue 9): the frames checked, none with problems.
        for line in r.outLines.dropLast() {
            #expect(line.hasPrefix("ok "), "not an ok line: '\(line)'")
        }
        #expect(r.outLines.last?.hasPrefix("fit: ") == true && r.outLines.last?.hasSuffix(" checked at 160x45, none with problems") == true, "\(r.out)")
        #expect(!r.out.contains("fit  "))
    }

    @Test func checkFitOfTheTalkAtProjectorSizeIsClean() throws {
        let r = try BinaryRunner.run(["check", "--fit", "160x45", "talk"])
        expectStatus(r, 0)
        // One ok line per scene of the deck, then the --fit summary line.
        #expect(r.outLines.count == TalkDeck.runs.count + 1 && !TalkDeck.runs.isEmpty, "one ok line per scene of the deck: \(r.out)")
        #expect(r.outLines.dropLast().allSatisfy { $0.hasPrefix("ok ") }, "\(r.out)")
        #expect(r.outLines.last?.hasSuffix(", none with problems") == true, "\(r.out)")
    }

    @Test func checkFitListsWhatDoesNotFit() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let path = try folder.write("long.scene", longLabelScene)
        let r = try BinaryRunner.run(["check", "--fit", "80x24", path])
        expectStatus(r, 1)
        #expect(r.outLines.first?.hasPrefix("ok ") == true, "the run itself passes: \(r.out)")
        let fits = r.outLines.filter { $0.hasPrefix("fit ") }
        #expect(!fits.isEmpty, "no fit lines: \(r.summary)")
        for line in fits {
            // fit  FILE VARIANT step N action M: what
            #expect(line.contains("long.scene"), "no scene in '\(line)'")
            #expect(line.contains(" - step 1 action "), "no variant/step/action in '\(line)'")
            #expect(line.contains("text cut off"), "no 'what' in '\(line)'")
        }
        // The label is cut in the fd table; the top line drops the long step title rather than cut it.
        #expect(fits.contains { $0.contains("shared fd: text cut off") }, "\(fits)")
        #expect(!fits.contains { $0.contains("top line") }, "\(fits)")
        #expect(fits.count == 1, "the scene has one action: \(fits)")
    }

    @Test func checkFitNamesTheVariant() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let text = longLabelScene + "\nvariant one \"the first\"\nvariant two \"the second\"\n"
        let path = try folder.write("variants.scene", text)
        let r = try BinaryRunner.run(["check", "--fit", "80x24", path])
        expectStatus(r, 1)
        let fits = r.outLines.filter { $0.hasPrefix("fit ") }
        #expect(fits.contains { $0.contains(" one step 1 action 1:") }, "\(fits)")
        #expect(fits.contains { $0.contains(" two step 1 action 1:") }, "\(fits)")
    }

    @Test func checkFitBelowTheMinimumIsAUsageError() throws {
        let r = try BinaryRunner.run(["check", "--fit", "10x10", "x"])
        expectStatus(r, 64)
        #expect(r.err.contains("80x23"), "the reason: \(r.err)")
        let r2 = try BinaryRunner.run(["check", "--fit", "wide", "upm-basics"])
        expectStatus(r2, 64)
    }

    /// The reason names the option the user gave.
    @Test func checkFitBelowTheMinimumNamesTheFitOption() throws {
        let r = try BinaryRunner.run(["check", "--fit", "10x10", "x"])
        #expect(r.err.contains("--fit"), "the message names another option: \(r.err)")
    }

    // MARK: themes

    @Test func anUnknownThemeExits66WithTheList() throws {
        let r = try BinaryRunner.run(["export", "upm-basics", "--format", "svg", "--theme", "nope"])
        expectStatus(r, 66)
        for name in ["dark", "light", "projector"] { #expect(r.err.contains(name), "\(r.err)") }
        #expect(r.err.contains("nope"))
        #expect(r.out.isEmpty)
        // present checks the theme before it needs a terminal.
        let p = try runWithoutTerminal(["present", "talk", "--theme", "nope"])
        #expect(p.status == 66, "\(p.stderr)")
        #expect(p.stderr.contains("dark, light, projector"), "\(p.stderr)")
    }

    @Test func aBrokenThemeFileExits65WithItsLine() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let path = try folder.write("bad.theme", "# mine\nname mine\nbackground #000000\nfrobnicate #ffffff default\n")
        let r = try BinaryRunner.run(["export", "upm-basics", "--format", "svg", "--theme", path])
        expectStatus(r, 65)
        #expect(r.err.contains("\(path):4:1: error:"), "\(r.err)")
        #expect(r.err.contains("frobnicate"))
        #expect(r.out.isEmpty, "half an export was written")
        let p = try runWithoutTerminal(["present", "upm-basics", "--theme", path])
        #expect(p.status == 65, "\(p.stderr)")
        #expect(p.stderr.contains("bad.theme:4:1: error:"), "\(p.stderr)")
    }

    @Test func theLightThemeColoursTheExport() throws {
        let light = try BinaryRunner.run(["export", "upm-basics", "--format", "svg", "--theme", "light"])
        expectStatus(light, 0)
        #expect(light.out.contains("<rect width=\"1344\" height=\"765\" fill=\"#fafafa\"/>"), "\(light.out.prefix(600))")
        let dark = try BinaryRunner.run(["export", "upm-basics", "--format", "svg"])
        expectStatus(dark, 0)
        #expect(dark.out.contains("fill=\"#1c1c1c\"/>"))
        #expect(!dark.out.contains("fill=\"#fafafa\""))
    }

    @Test func aThemeFileColoursTheExport() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let path = try folder.write("mine.theme", """
            name mine
            foreground #010203
            background #123456   # a comment
            title #abcdef default
            """)
        let r = try BinaryRunner.run(["export", "upm-basics", "--format", "svg", "--theme", path])
        expectStatus(r, 0)
        #expect(r.out.contains("fill=\"#123456\"/>"), "the background: \(r.out.prefix(600))")
        #expect(r.out.contains("#abcdef"), "the title colour")
        #expect(!r.out.contains("#1c1c1c"), "the dark theme's background is used")
    }

    // MARK: present without a terminal, bad input

    @Test func presentWithoutATerminalPointsAtRun() throws {
        let r = try runWithoutTerminal(["present", "talk"])
        #expect(r.status == 69, "no usable terminal is EX_UNAVAILABLE: \(r.stderr)")
        #expect((r.stdout + r.stderr).contains("rmpviz run"), "\(r.stderr)")
        #expect(!r.stdout.contains("\u{1B}["), "escape sequences without a terminal")
    }

    @Test func presentOfAMissingFileExits66() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let r = try runWithoutTerminal(["present", folder.path("none.deck")])
        #expect(r.status == 66, "\(r.stderr)")
        #expect(r.stderr.contains("none.deck"))
        #expect(!r.stderr.contains("rmpviz run"), "the file is checked before the terminal")
    }

    @Test func presentOfADeckNamingAMissingSceneExits65AtTheLine() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let deck = try folder.write("my.deck", "title \"t\"\nscene upm-basics.scene\nscene nowhere.scene\n")
        let r = try runWithoutTerminal(["present", deck])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("my.deck:3:7: error:"), "\(r.stderr)")
        #expect(r.stderr.contains("nowhere.scene"))
        #expect(!r.stderr.contains("rmpviz run"), "the deck is checked before the terminal")
    }

    @Test func presentNotesIntoAMissingFolderExits73() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let r = try runWithoutTerminal(["present", "talk", "--notes", folder.path("no/such/notes.txt")])
        #expect(r.status == 73, "\(r.stderr)")
    }
}

// MARK: - Under tmux

/// The talk deck, computed as `present` does: for each scene its title and the deck's run.
private enum TalkDeck {
    static let runs: [Trace] = {
        guard let file = BuiltinScenes.named("talk"),
              case .success(let deck) = parseDeck(bytes: file.bytes, path: "scenes/talk.deck") else { return [] }
        return deck.entries.compactMap { e in
            guard let f = BuiltinScenes.named(e.reference),
                  case .success(let scene) = parseScene(bytes: f.bytes, path: "scenes/\(f.fileName)") else { return nil }
            let traces = Engine.runAll(scene)
            return traces[e.variant.flatMap { v in traces.firstIndex { $0.variant?.name == v } } ?? 0]
        }
    }()

    /// For each entry of the deck: whether it is an `explore` line (its matrix follows its title card).
    static let explores: [Bool] = {
        guard let file = BuiltinScenes.named("talk"),
              case .success(let deck) = parseDeck(bytes: file.bytes, path: "scenes/talk.deck") else { return [] }
        return deck.entries.map { $0.explore != nil }
    }()

    /// The number of `scene` and `explore` lines in talk.deck: `runs` has one run for each when the deck builds.
    static let lines: Int = {
        guard let file = BuiltinScenes.named("talk") else { return -1 }
        return file.text.split(separator: "\n").filter { $0.hasPrefix("scene ") || $0.hasPrefix("explore ") }.count
    }()

    /// The widest row of the first scene's title in FIGlet letters, as the title card draws it at 160 columns.
    static func figletRow() -> String? {
        guard let font = FigletFont(BuiltinAssets.titleFont), let first = runs.first,
              let blocks = font.wrap(first.scene.title, width: 160 - 8) else { return nil }
        return blocks.flatMap { $0 }.map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
            .max { $0.count < $1.count }
    }
}

extension TmuxViewer {
    /// The pane with every line empty.
    static func isBlank(_ screen: String) -> Bool {
        screen.allSatisfy { $0 == " " || $0 == "\n" }
    }

    /// Sends `key` `count` times, a few at a time.
    func press(_ key: String, times count: Int) throws {
        var left = count
        while left > 0 {
            let n = min(left, 20)
            try tmux(["send-keys", "-t", Self.session] + Array(repeating: key, count: n))
            left -= n
        }
    }
}

/// Polls a file until `condition` holds on its text (up to `seconds`).
@discardableResult
private func waitForFile(_ path: String, _ what: String, seconds: Double = 5,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation,
                         _ condition: (String) -> Bool) -> String? {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        let text = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        if let text, condition(text) { return text }
        if Date() > deadline {
            Issue.record("waited for \(what) in \(path); it holds:\n\(text ?? "(no file)")", sourceLocation: sourceLocation)
            return nil
        }
        Thread.sleep(forTimeInterval: 0.05)
    }
}

/// Replaces a file's content in one step (write a temporary file, rename), as editors do.
private func atomicWrite(_ text: String, to path: String) throws {
    let temporary = path + ".tmp-\(UUID().uuidString.prefix(6))"
    try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
    #expect(rename(temporary, path) == 0)
}

@Suite(.serialized) struct StageTmuxTests {
    struct Failed: Error {}

    /// Starts `present ARGS` at 160×45 and waits for the first title card (a deck opens on its
    /// cover, which names the number of scenes; → leaves it).
    private func present(_ arguments: [String] = ["talk"]) throws -> TmuxViewer {
        let t = try TmuxViewer.start(["present"] + arguments)
        let scenes = TalkDeck.runs.count
        if arguments.first == "talk" {
            guard t.wait(for: "the deck's cover", seconds: 30, { $0.contains("\(scenes) scenes · S lists them") }) else {
                t.killServer()
                throw Failed()
            }
            try t.press("Right")
        }
        guard t.wait(for: "the first title card", seconds: 30, { $0.contains("scene 1/\(scenes)") && $0.contains("→ to begin") }) else {
            t.killServer()
            throw Failed()
        }
        return t
    }

    @Test func presentShowsTheTitleCardInFigletLetters() throws {
        try #require(TalkDeck.runs.count == TalkDeck.lines, "the talk deck does not build")
        let t = try present()
        defer { t.killServer() }
        let row = try #require(TalkDeck.figletRow())
        #expect(row.count > 40, "the test needs a distinctive row: '\(row)'")
        t.wait(for: "the FIGlet row '\(row)'") { $0.contains(row) }
        let screen = t.capture()
        // upm-basics' source and about, as far as they fit on one line of the card.
        #expect(screen.contains("KVM api.rst (KVM_SET_MEMORY_ATTRIBUTES, guest_memfd)"), "the source")
        #expect(screen.contains("A tour of the four tables on mainline"), "the about text")
        #expect(!screen.contains("RMP table"))
        #expect(t.display("#{alternate_on}") == "1")
    }

    @Test func presentPageDownThroughTheWholeTalkBlankAndQuit() throws {
        let runs = TalkDeck.runs
        try #require(runs.count == TalkDeck.lines, "the talk deck does not build")
        let n = runs.count
        let t = try present()
        defer { t.killServer() }
        // The first PgDn leaves the card.
        try t.press("PageDown")
        t.wait(for: "the first action") { $0.contains("scene 1/\(n) · step 1/\(runs[0].stepCount) · action 1/\(runs[0].actionCount)") }
        // Every action of every scene, every card after the first; an explore entry is its card, then its matrix.
        let total = zip(runs, TalkDeck.explores).reduce(0) { $0 + ($1.1 ? 2 : $1.0.actionCount + 1) } - 1
        try t.press("PageDown", times: total - 1)
        let last = runs[n - 1]
        // The end of the talk: the matrix of its last entry (ghcb-race's), or the last scene's last action.
        let endText: String
        let atTheEnd: (String) -> Bool
        if TalkDeck.explores[n - 1] {
            endText = " explore \(last.scene.title)"
            atTheEnd = { $0.contains(endText) && $0.contains("interleavings a row") }
        } else {
            endText = "scene \(n)/\(n) · step \(last.stepCount)/\(last.stepCount) · action \(last.actionCount)/\(last.actionCount)"
            atTheEnd = { $0.contains(endText) }
        }
        t.wait(for: "the end of the talk '\(endText)'", seconds: 20, atTheEnd)
        #expect(!t.capture().contains("→ to begin"), "the last entry's title card is left")
        // Past the end nothing moves.
        try t.press("PageDown", times: 2)
        try t.type("b")
        t.wait(for: "a blank pane") { TmuxViewer.isBlank($0) }
        // The clock ticks, but nothing may appear on a blank screen.
        #expect(TmuxViewer.isBlank(t.capture()))
        try t.type("b")
        t.wait(for: "the screen back", atTheEnd)
        try t.type(".")
        t.wait(for: "a blank pane after '.'") { TmuxViewer.isBlank($0) }
        try t.type(".")
        t.wait(for: "the screen back after '.'", atTheEnd)
        try t.type("q")
        t.wait(forText: "EXIT=0")
        let screen = t.capture()
        #expect(!atTheEnd(screen), "the presenter's screen is left behind:\n\(screen)")
        #expect(t.display("#{alternate_on}") == "0", "the terminal is still on the alternate screen")
    }

    @Test func presentJumpsScenesWithBraces() throws {
        let t = try present()
        defer { t.killServer() }
        let n = TalkDeck.runs.count
        try t.type("}")
        t.wait(forText: "scene 2/\(n)")
        // Scene 2 is no-upm-host-write: its source on the title card.
        let source = "Part2 v5 (Aug 2021): 06/45 (direct map invalidation)"
        #expect(TalkDeck.runs[1].scene.source?.contains(source) == true)
        t.wait(forText: source)
        try t.type("}")
        t.wait(forText: "scene 3/\(n)")
        try t.type("{")
        t.wait(for: "scene 2/\(n) again") { $0.contains("scene 2/\(n)") && !$0.contains("scene 3/\(n)") }
    }

    @Test func presentNotesFileFollowsTheTalk() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let notes = folder.path("notes.txt")
        let t = try present(["talk", "--notes", notes])
        defer { t.killServer() }
        let first = waitForFile(notes, "the title card's notes") { $0.contains("title card") }
        #expect(first?.contains("scene 1/\(TalkDeck.runs.count): guest_memfd basics") == true, "\(first ?? "")")
        #expect(first?.contains("next:") == true)
        #expect(first?.contains("elapsed") == true)
        try t.press("PageDown")
        let stepOne = waitForFile(notes, "step 1's notes") { $0.contains("step 1/8:") }
        #expect(stepOne?.contains("Start with the four panes") == true, "\(stepOne ?? "")")
        #expect(stepOne?.contains("next: step 2: KVM forwards it to the VMM") == true, "\(stepOne ?? "")")
        #expect(stepOne?.contains("elapsed ") == true)
        try t.type("]")
        let stepTwo = waitForFile(notes, "step 2's notes") { $0.contains("step 2/8:") }
        #expect(stepTwo?.contains("next: step 3:") == true, "\(stepTwo ?? "")")
        #expect(stepTwo?.contains("step 1/8:") == false)
        try t.type("q")
        t.wait(forText: "EXIT=0")
        // No temporary files left next to the notes.
        let left = (try? FileManager.default.contentsOfDirectory(atPath: folder.url.path)) ?? []
        #expect(left == ["notes.txt"], "\(left)")
    }

    @Test func watchReloadsAnEditAndShowsABrokenOne() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let original = String(decoding: try sceneFile("upm-basics.scene"), as: UTF8.self)
        let path = try folder.write("watched.scene", original)
        let t = try TmuxViewer.start([path, "--watch"])
        defer { t.killServer() }
        guard t.wait(for: "the first frame", seconds: 30, { $0.contains("RMP table") && $0.contains("step 1/8") }) else { throw Failed() }
        try t.type("]]")
        t.wait(forText: "step 3/8")
        let oldSay = "KVM_SET_MEMORY_ATTRIBUTES makes the gfn private"
        t.wait(forText: oldSay)

        // An edit of the narration: reloaded, same step.
        let edited = original.replacingOccurrences(of: oldSay, with: "EDITED NARRATION makes the gfn private")
        #expect(edited != original)
        try atomicWrite(edited, to: path)
        t.wait(forText: "EDITED NARRATION")
        var screen = t.capture()
        #expect(screen.contains("step 3/8"), "the step changed on reload:\n\(screen)")
        #expect(!screen.contains(oldSay))

        // A broken edit: the diagnostics over the last good version.
        let brokenLines = edited.components(separatedBy: "\n")
        let sayLine = try #require(brokenLines.firstIndex { $0.contains("EDITED NARRATION") })
        var broken = brokenLines
        broken[sayLine] = "  frobnicate page"
        try atomicWrite(broken.joined(separator: "\n"), to: path)
        t.wait(forText: "the edited file has errors")
        t.wait(forText: "watched.scene:\(sayLine + 1):")
        screen = t.capture()
        #expect(screen.contains("frobnicate"), "the diagnostic's text:\n\(screen)")
        #expect(screen.contains("step 3/8"), "the last good version stays at step 3:\n\(screen)")

        // Fixed: the banner is gone, the fixed text shows.
        try atomicWrite(edited.replacingOccurrences(of: "EDITED NARRATION", with: "FIXED NARRATION"), to: path)
        t.wait(forText: "FIXED NARRATION")
        t.wait(for: "the banner gone") { !$0.contains("the edited file has errors") }
        #expect(t.capture().contains("step 3/8"))
        try t.type("q")
        t.wait(forText: "EXIT=0")
    }
}
