// The real binary in a real terminal: the viewer under tmux, and its refusals without a terminal.
// Every wait polls the pane for a condition (up to a few seconds); nothing depends on timing.
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

// MARK: - The tests

@Suite(.serialized) struct TmuxViewerTests {
    static let title = "The GHCB made private"

    /// Opens the default scene and waits for its first frame.
    private func open(_ arguments: [String] = []) throws -> TmuxViewer {
        let t = try TmuxViewer.start(arguments)
        guard t.wait(for: "the first frame", seconds: 30, { $0.contains("RMP table") && $0.contains("private fd") }) else {
            t.killServer()
            throw Failed()
        }
        return t
    }

    struct Failed: Error {}

    @Test func opensTheDefaultScene() throws {
        let t = try open()
        defer { t.killServer() }
        let screen = t.capture()
        #expect(screen.contains(Self.title))
        for title in ["RMP table", "host direct map", "shared fd", "private fd"] {
            #expect(screen.contains(title), "no '\(title)' on screen")
        }
        // ghcb-upm: keep, discard, mainline; keep runs on the scene's kernel, mainline.
        #expect(screen.contains("variant 1/3 keep"))
        #expect(screen.contains(" kernel mainline "))
        #expect(screen.contains("action 1/"))
        #expect(screen.contains("1 frame backs 1 gfn"), "the footer's memory in words")
        #expect(t.display("#{alternate_on}") == "1", "the viewer draws on the alternate screen")
    }

    @Test func stepsToTheEnd() throws {
        let t = try open()
        defer { t.killServer() }
        try t.type("G")
        t.wait(forText: "worst: double-allocation")
        t.wait(forText: "double allocation")
        #expect(t.capture().contains("gfn 0x10 is backed by 2 frames"))
        // And back to the start.
        try t.type("g")
        t.wait(forText: "worst: none yet")
    }

    /// A terminal that ignores the keypad's application mode sends ESC [ C for →: one key, not
    /// Esc, "[" (previous step) and "C" (compare).
    @Test func arrowsWorkInEitherCursorMode() throws {
        let t = try open()
        defer { t.killServer() }
        try t.type("\u{1b}[C")
        t.wait(forText: "▶ action 2/")
        try t.type("\u{1b}OC")
        t.wait(forText: "▶ action 3/")
        try t.type("\u{1b}[D")
        t.wait(forText: "▶ action 2/")
        let screen = t.capture()
        #expect(!screen.contains("⇄"), "C opened a comparison")
        #expect(screen.contains("step 1/6") || screen.contains("step 2/6"))
    }

    @Test func stepsActionByActionAndStepByStep() throws {
        let t = try open()
        defer { t.killServer() }
        // Step 1 of ghcb-upm has two actions (the PSC request, the VMGEXIT).
        try t.press("Right")
        t.wait(forText: "▶ action 2/")
        #expect(t.capture().contains("step 1/6"))
        try t.type("]")
        t.wait(forText: "step 2/6")
        try t.type("]")
        t.wait(forText: "step 3/6")
        try t.press("PageUp")
        t.wait(forText: "step 2/6")
        try t.type("5")
        try t.press("Enter")
        t.wait(forText: "step 5/6")
    }

    @Test func switchesVariantAndShowsThePanic() throws {
        let t = try open()
        defer { t.killServer() }
        try t.type("v")
        t.wait(forText: "variant 2/3 discard")
        #expect(t.capture().contains(" kernel thread "), "the discard variant sets kernel thread")
        try t.type("G")
        t.wait(forText: "Kernel panic - not syncing: Fatal exception")
        let screen = t.capture()
        for line in ["BUG: unable to handle page fault for address: ffff888000100000",
                     "#PF: supervisor write access in kernel mode", "not-present page", "worst: host-panic"] {
            #expect(screen.contains(line), "no '\(line)' on screen")
        }
        try t.type("V")
        t.wait(forText: "variant 1/3 keep")
    }

    @Test func helpOpensAndEscapeClosesIt() throws {
        let t = try open()
        defer { t.killServer() }
        try t.type("?")
        t.wait(forText: "keys (Esc or ? to close)")
        #expect(t.capture().contains("page history of the selected row"))
        try t.press("Escape")
        t.wait(for: "the tables after Esc") { !$0.contains("keys (Esc or ? to close)") && $0.contains("RMP table") }
    }

    @Test func resizeSmallerAndBack() throws {
        let t = try open()
        defer { t.killServer() }
        try t.tmux(["resize-window", "-t", TmuxViewer.session, "-x", "70", "-y", "20"])
        t.wait(forText: "terminal too small: have 70×20, need 80×23")
        #expect(!t.capture().contains("RMP table"))
        try t.tmux(["resize-window", "-t", TmuxViewer.session, "-x", "100", "-y", "30"])
        t.wait(for: "the stacked tables at 100×30") { $0.contains("RMP table") && !$0.contains("terminal too small") }
        try t.tmux(["resize-window", "-t", TmuxViewer.session, "-x", "160", "-y", "45"])
        t.wait(for: "the tables side by side at 160×45") { screen in
            screen.split(separator: "\n").contains { $0.contains("RMP table") && $0.contains("private fd") }
        }
    }

    @Test func qQuitsAndLeavesTheAlternateScreen() throws {
        let t = try open()
        defer { t.killServer() }
        try t.type("q")
        t.wait(forText: "EXIT=0")
        let screen = t.capture()
        #expect(!screen.contains("RMP table"), "the viewer's screen is left behind:\n\(screen)")
        #expect(!screen.contains(Self.title))
        #expect(t.display("#{alternate_on}") == "0", "the terminal is still on the alternate screen")
    }

    @Test func qQuitsFromATooSmallScreen() throws {
        let t = try open()
        defer { t.killServer() }
        try t.tmux(["resize-window", "-t", TmuxViewer.session, "-x", "70", "-y", "20"])
        t.wait(forText: "terminal too small")
        try t.type("q")
        t.wait(forText: "EXIT=0")
    }

    @Test func sigtermRestoresTheTerminal() throws {
        let t = try open()
        defer { t.killServer() }
        let pid = try #require(t.viewerPID(), "no rmpviz process under the pane's shell")
        #expect(kill(pid, SIGTERM) == 0)
        t.wait(forText: "EXIT=143")
        let screen = t.capture()
        #expect(!screen.contains("RMP table"), "the tables are left on screen after SIGTERM:\n\(screen)")
        #expect(t.display("#{alternate_on}") == "0", "the terminal is still on the alternate screen")
    }

    @Test func sighupRestoresTheTerminal() throws {
        let t = try open()
        defer { t.killServer() }
        let pid = try #require(t.viewerPID(), "no rmpviz process under the pane's shell")
        #expect(kill(pid, SIGHUP) == 0)
        t.wait(forText: "EXIT=129")
        #expect(!t.capture().contains("RMP table"))
        #expect(t.display("#{alternate_on}") == "0", "the terminal is still on the alternate screen")
    }

    @Test func ctrlCQuits() throws {
        let t = try open()
        defer { t.killServer() }
        try t.press("C-c")
        t.wait(forText: "EXIT=0")
        #expect(!t.capture().contains("RMP table"))
        #expect(t.display("#{alternate_on}") == "0")
    }

    @Test func withoutATerminalItSaysSoInOneLine() throws {
        let binary = try ViewerBinary.require()
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm-256color"
        env["LANG"] = "C.UTF-8"
        let r = try runProgram(binary, [], environment: env)
        #expect(r.status == 69, "no usable terminal is EX_UNAVAILABLE")
        let lines = (r.stdout + r.stderr).split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(lines.count == 1, "expected one line, got:\n\(r.stdout)\(r.stderr)")
        #expect(lines.first?.contains("rmpviz run") == true, "\(lines)")
        #expect(!r.stdout.contains("\u{1B}["), "no escape sequences without a terminal")
    }

    @Test func aBadSceneExits65BeforeTheScreenOpens() throws {
        let binary = try ViewerBinary.require()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rmpviz-bad-\(getpid()).scene")
        try Data("title \"bad\"\npfns 0x100..0x10f\npage p gfn=0x10 shared\nstep \"s\"\n  frobnicate p\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm-256color"
        // stdin is not a terminal: opening the screen first would exit 1, not 65.
        let r = try runProgram(binary, [file.path], environment: env)
        #expect(r.status == 65, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(file.lastPathComponent), "diagnostics name the file: \(r.stderr)")
        #expect(!r.stderr.contains("rmpviz run"), "the scene is checked before the terminal")
        #expect(!(r.stdout + r.stderr).contains("\u{1B}[?1049h"), "the alternate screen was opened")
    }

    @Test func aBadSceneUnderTmuxPrintsDiagnosticsWithoutOpeningTheScreen() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rmpviz-bad2-\(getpid()).scene")
        try Data("title \"bad\"\nfrobnicate\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let t = try TmuxViewer.start([file.path])
        defer { t.killServer() }
        t.wait(forText: "EXIT=65")
        #expect(t.capture().contains(file.lastPathComponent))
    }
}
