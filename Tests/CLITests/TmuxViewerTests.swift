// The real binary in a real terminal: the viewer under tmux, and its refusals without a terminal.
// Every wait polls the pane for a condition (up to a few seconds); nothing depends on timing.
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

// MARK: - Helpers (private to this file)

/// The built `rmpviz`, beside the test bundle in the build products folder.
private enum ViewerBinary {
    static let url: URL? = {
        let fm = FileManager.default
        var folders: [URL] = []
        if let path = ProcessInfo.processInfo.environment["RMPVIZ_BINARY"] { return URL(fileURLWithPath: path) }
        if let exe = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        folders.append(Bundle.main.bundleURL)
        if let exe = Bundle.main.executableURL { folders.append(exe.deletingLastPathComponent()) }
        for folder in folders {
            // The bundle may be a folder (macOS: .xctest/Contents/MacOS): look a few levels up.
            var f = folder
            for _ in 0..<4 {
                let candidate = f.appendingPathComponent("rmpviz")
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue,
                   fm.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                f = f.deletingLastPathComponent()
            }
        }
        return nil
    }()

    static func require(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> URL {
        try #require(url, "the rmpviz binary was not found beside the test bundle (build it with swift build)",
                     sourceLocation: sourceLocation)
    }
}

/// Runs a program to completion, with stdin from /dev/null; returns status, stdout and stderr.
///
/// Spawned with an empty signal mask and default signal actions: the test runs on a Dispatch
/// worker thread that blocks SIGTERM, SIGHUP and SIGINT, and a child would inherit that (tmux's
/// kill-server and the SIGTERM test would then do nothing). Output goes to files, not pipes: the
/// tmux server that `new-session` forks keeps its descriptors open.
@discardableResult
private func runProgram(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil)
    throws -> (status: Int32, stdout: String, stderr: String) {
    let folder = FileManager.default.temporaryDirectory
    let tag = "rmpviz-test-\(getpid())-\(UUID().uuidString)"
    let outPath = folder.appendingPathComponent(tag + ".out").path
    let errPath = folder.appendingPathComponent(tag + ".err").path
    defer {
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var files = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&files)
    defer { posix_spawn_file_actions_destroy(&files) }
    posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&files, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&files, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let env = environment ?? ProcessInfo.processInfo.environment
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable.path] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        for p in argv { free(p) }
        for p in envp { free(p) }
    }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, executable.path, &files, &attributes, argv, envp)
    guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // WIFEXITED / WEXITSTATUS; a signal death is reported as 128 + N, as a shell would.
    let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let out = FileManager.default.contents(atPath: outPath) ?? Data()
    let err = FileManager.default.contents(atPath: errPath) ?? Data()
    return (code, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}

private func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

/// One tmux server on a private socket, with one session running the viewer.
private struct TmuxViewer {
    static let session = "viewer"
    let tmux: URL
    let socket: String
    let binary: URL

    static func findTmux() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin"] {
            let candidate = URL(fileURLWithPath: dir).appendingPathComponent("tmux")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Starts `rmpviz ARGS; echo EXIT=$?; sleep 5` in a detached 160×45 session.
    static func start(_ arguments: [String] = [], width: Int = 160, height: Int = 45,
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> TmuxViewer {
        guard let tmux = findTmux() else {
            Issue.record("tmux is not installed (not found in PATH): the terminal tests of the viewer need it; install it (apt-get install tmux), as CI does",
                         sourceLocation: sourceLocation)
            throw TmuxMissing()
        }
        let binary = try ViewerBinary.require(sourceLocation: sourceLocation)
        let t = TmuxViewer(tmux: tmux, socket: "rmpviz-test-\(getpid())", binary: binary)
        t.killServer()
        let command = (["env", "LANG=C.UTF-8", "TERM=xterm-256color", binary.path] + arguments).map(shellQuote).joined(separator: " ")
            + "; echo EXIT=$?; sleep 5"
        let r = try t.tmux(["new-session", "-d", "-s", session, "-x", String(width), "-y", String(height), command])
        try #require(r.status == 0, "tmux new-session failed: \(r.stderr)", sourceLocation: sourceLocation)
        return t
    }

    struct TmuxMissing: Error {}

    @discardableResult
    func tmux(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try runProgram(tmux, ["-L", socket, "-f", "/dev/null"] + arguments)
    }

    func killServer() { _ = try? tmux(["kill-server"]) }

    func capture() -> String {
        (try? tmux(["capture-pane", "-p", "-t", Self.session]).stdout) ?? ""
    }

    /// Sends literal text (each character a key).
    func type(_ text: String) throws { try tmux(["send-keys", "-t", Self.session, "-l", text]) }

    /// Sends tmux key names (Escape, Enter, PageDown...).
    func press(_ key: String) throws { try tmux(["send-keys", "-t", Self.session, key]) }

    func display(_ format: String) -> String {
        ((try? tmux(["display-message", "-p", "-t", Self.session, format]).stdout) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the pane until `condition` holds (up to `seconds`); records the last screen if it never does.
    @discardableResult
    func wait(for what: String, seconds: Double = 5, sourceLocation: Testing.SourceLocation = #_sourceLocation,
              _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var screen = capture()
        while !condition(screen) {
            if Date() > deadline {
                Issue.record("waited for \(what); the pane shows:\n\(screen)", sourceLocation: sourceLocation)
                return false
            }
            Thread.sleep(forTimeInterval: 0.05)
            screen = capture()
        }
        return true
    }

    @discardableResult
    func wait(forText text: String, seconds: Double = 5, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
        wait(for: "'\(text)'", seconds: seconds, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// The viewer's pid: the child of the pane's shell.
    func viewerPID() -> Int32? {
        guard let pane = Int32(display("#{pane_pid}")) else { return nil }
        let fm = FileManager.default
        for entry in (try? fm.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[1]) == pane else { continue }
            let exe = (try? fm.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) ?? ""
            if exe.hasSuffix("/rmpviz") { return pid }
        }
        return nil
    }
}

// MARK: - The tests

@Suite(.serialized) struct TmuxViewerTests {
    static let title = "The GHCB made private under UPM"

    /// Opens the default scene and waits for its first frame.
    private func open(_ arguments: [String] = []) throws -> TmuxViewer {
        let t = try TmuxViewer.start(arguments)
        guard t.wait(for: "the first frame", seconds: 10, { $0.contains("RMP table") && $0.contains("private fd") }) else {
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
        #expect(screen.contains("variant 1/2 keep"))
        #expect(screen.contains("action 1/"))
        #expect(screen.contains("frames back"))
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
        t.wait(forText: "worst: completed")
    }

    @Test func stepsActionByActionAndStepByStep() throws {
        let t = try open()
        defer { t.killServer() }
        try t.press("Right")
        t.wait(forText: "▶ action 2/")
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
        t.wait(forText: "variant 2/2 discard")
        try t.type("G")
        t.wait(forText: "Kernel panic - not syncing: Fatal exception")
        let screen = t.capture()
        for line in ["BUG: unable to handle page fault for address: ffff888000100000",
                     "#PF: supervisor write access in kernel mode", "not-present page", "worst: host-panic"] {
            #expect(screen.contains(line), "no '\(line)' on screen")
        }
        try t.type("V")
        t.wait(forText: "variant 1/2 keep")
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
        t.wait(forText: "terminal too small: have 70×20, need 80×24")
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
        #expect(r.status == 1)
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
