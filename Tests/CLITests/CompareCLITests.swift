// The comparison view from the command line (issue 11): `--compare SIDE`, `compare=` deck entries,
// `check --fit` over comparisons, and the real viewer comparing under tmux.
// Without a terminal the viewer exits 69: a 64 or 65 from these runs proves the side was read
// (and run) before any screen was opened.
import Foundation
import Testing

@Suite struct CompareCLITests {
    // MARK: - present: compare= deck entries

    @Test func aDeckWhoseCompareTheSceneCannotRunExits65WithTheDecksLocation() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let line3 = "scene ghcb-upm variant=keep compare=kernel=v5"
        let deck = try folder.write("talk.deck", "title \"t\"\nscene ghcb-upm variant=keep\n\(line3)\n")
        let r = try BinaryRunner.run(["present", deck])
        expectStatus(r, 65)
        let first = try #require(r.errLines.first)
        // The value's column: "scene ghcb-upm variant=keep compare=" is 36 characters.
        #expect(first.hasPrefix("\(deck):3:37: error: compare=kernel=v5: "), "\(r.summary)")
        #expect(first.contains("needs 'upm on'"), "\(first)")
        #expect(!r.out.contains("\u{1B}[?1049h") && !r.err.contains("\u{1B}["), "no screen, no escapes: \(r.summary)")
        #expect(r.err.contains("1 error"))
        // The deck's own line, with the caret under the value.
        #expect(r.errLines.count > 2 && r.errLines[1] == line3, "\(r.summary)")
        #expect(r.errLines.count > 2 && r.errLines[2] == String(repeating: " ", count: 36) + "^~~~~~~~~", "\(r.summary)")
    }

    @Test func aDeckWithAnUnknownCompareSideExits65WithTheDecksLocation() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let line = "scene ghcb-upm compare=nosuch"
        let deck = try folder.write("b.deck", line + "\n")
        let r = try BinaryRunner.run(["present", deck])
        expectStatus(r, 65)
        let first = try #require(r.errLines.first)
        #expect(first == "\(deck):1:24: error: compare=nosuch: not a variant (keep, discard, mainline) nor KEY=VALUE settings",
                "\(r.summary)")
        #expect(!r.out.contains("\u{1B}[?1049h"))
        #expect(r.errLines.count > 2 && r.errLines[1] == line, "the deck's line: \(r.summary)")
        #expect(r.errLines.count > 2 && r.errLines[2] == String(repeating: " ", count: 23) + "^~~~~~", "\(r.summary)")
    }

    /// A good compare= entry passes the load: the run goes on to the terminal (and stops there, 69).
    @Test func aDeckWithAGoodCompareEntryGetsAsFarAsTheTerminal() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let deck = try folder.write("good.deck", "scene ghcb-upm variant=discard compare=kernel=mainline\nscene ghcb-upm compare=discard\n")
        let r = try BinaryRunner.run(["present", deck])
        expectStatus(r, 69)
        #expect(!r.err.contains("error:"), "\(r.summary)")
    }

    // MARK: - The viewer's --compare

    @Test(arguments: [
        (["ghcb-upm", "--compare", "nosuch"], Int32(64), "rmpviz: --compare nosuch: not a variant (keep, discard, mainline) nor KEY=VALUE settings"),
        (["ghcb-upm", "--compare", "kep"], 64, "did you mean 'keep'?"),
        (["ghcb-upm", "--compare", "kernel=v6"], 64, "rmpviz: --compare kernel=v6: 'v6' is not a value of kernel; valid values: thread, v5, mainline"),
        (["ghcb-upm", "--compare", "kernel=v5"], 65, "rmpviz: --compare kernel=v5: line "),
        (["ghcb-upm", "--variant", "discard", "--compare", "kernel=v5"], 65, "needs 'upm on'"),
    ])
    func aBadCompareSideExitsBeforeTheScreen(arguments: [String], status: Int32, words: String) throws {
        let r = try BinaryRunner.run(arguments)
        expectStatus(r, status)
        #expect(r.err.contains(words), "\(r.summary)")
        #expect(!r.err.contains("no usable terminal"), "the side is checked before the terminal")
        #expect(!r.out.contains("\u{1B}["))
    }

    @Test(arguments: [["--compare", "discard"], ["--variant", "discard", "--compare", "kernel=mainline"],
                      ["--compare", "discard-on-convert=on,allocator=lowest"]])
    func aGoodCompareSideGetsAsFarAsTheTerminal(arguments: [String]) throws {
        let r = try BinaryRunner.run(["ghcb-upm"] + arguments)
        expectStatus(r, 69)
        #expect(r.err.contains("no usable terminal"), "\(r.summary)")
    }

    // MARK: - check --fit

    /// `check --fit` checks a compare= entry's comparison as well as its run: twice the frames, and
    /// a comparison's problems named as such.
    @Test func checkFitCoversCompareEntries() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let alone = try folder.write("alone.deck", "scene ghcb-upm variant=discard\n")
        let compared = try folder.write("compared.deck", "scene ghcb-upm variant=discard compare=mainline\n")
        func frames(_ r: RunResult) -> Int? {
            guard let line = r.outLines.first(where: { $0.hasPrefix("fit: ") }) else { return nil }
            return Int(line.dropFirst(5).prefix { $0.isNumber })
        }
        let a = try BinaryRunner.run(["check", alone, "--fit", "120x35"])
        let c = try BinaryRunner.run(["check", compared, "--fit", "120x35"])
        expectStatus(a, 0)
        expectStatus(c, 0)
        let n = try #require(frames(a), "\(a.summary)")
        #expect(frames(c) == 2 * n, "the comparison's frames are checked too: \(c.summary)")
        // 80×24 is too small for a comparison's top line: the problems name the comparison.
        let small = try BinaryRunner.run(["check", compared, "--fit", "80x24"])
        expectStatus(small, 1)
        #expect(small.outLines.contains { $0.contains("discard compared with mainline step") && $0.contains("top line") },
                "\(small.summary)")
    }
}

// MARK: - The viewer comparing, in a real terminal

@Suite(.serialized) struct CompareTmuxTests {
    /// Rows below the top line and the divergence line (whose legend names the mark).
    static func marksInTables(_ screen: String) -> Bool {
        screen.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).contains { $0.contains("≠") }
    }

    @Test func keepAgainstDiscardShowsBothSidesAndTheirDifferencesThenQuits() throws {
        let t = try TmuxViewer.start(["ghcb-upm", "--variant", "keep", "--compare", "discard"], width: 160, height: 45)
        defer { t.killServer() }
        guard t.wait(for: "the comparison's first frame", seconds: 30, { $0.contains("keep · mainline ⇄ discard · thread") }) else { return }
        var screen = t.capture()
        #expect(screen.contains("left: keep · mainline") && screen.contains("right: discard · thread"))
        #expect(!Self.marksInTables(screen), "nothing differs at the first action:\n\(screen)")
        // Step 4: keep still has 0x100 in gfn 0x10's shared fd, discard a hole.
        try t.type("]]]")
        t.wait(forText: "step 4/6")
        t.wait(for: "a ≠ in the tables at 160×45") { Self.marksInTables($0) }
        screen = t.capture()
        // Each half's shared fd is the first table on its row: the left's row starts "│0x10 ≠0x100",
        // the right's, from column 80, "│0x10 ≠hole".
        let row = screen.split(separator: "\n").map(Array.init).first { line in
            line.count >= 160 && String(line[0..<80]).hasPrefix("│0x10 ≠0x100") && String(line[80..<160]).hasPrefix("│0x10 ≠hole")
        }
        #expect(row != nil, "the shared fd row of gfn 0x10 is marked on both halves:\n\(screen)")

        try t.tmux(["resize-window", "-t", TmuxViewer.session, "-x", "120", "-y", "35"])
        // At 120×35 each side shows one table pair: the fds give way to the frame tables.
        t.wait(for: "the comparison at 120×35") { s in
            !s.contains("shared fd") && s.contains("RMP table by gfn") && s.contains("keep · mainline ⇄ discard · thread")
                && s.contains("left: keep · mainline") && s.contains("right: discard · thread") && Self.marksInTables(s)
        }
        #expect(t.display("#{window_width}") == "120")

        try t.type("q")
        t.wait(forText: "EXIT=0")
        screen = t.capture()
        #expect(!screen.contains("RMP table") && !screen.contains("⇄"), "the viewer's screen is left behind:\n\(screen)")
        #expect(t.display("#{alternate_on}") == "0", "the terminal is still on the alternate screen")
    }
}
