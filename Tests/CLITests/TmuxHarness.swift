// A private tmux server running the real binary, shared by the terminal tests (the viewer, present,
// --watch). Every wait polls the pane for a condition (up to a few seconds); nothing depends on timing.
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif


/// The built `rmpviz`, beside the test bundle in the build products folder.
enum ViewerBinary {
    /// The binary `BinaryRunner` found, if it is really there.
    static var url: URL? {
        FileManager.default.isExecutableFile(atPath: BinaryRunner.binary.path) ? BinaryRunner.binary : nil
    }

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
func runProgram(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil)
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

func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

/// One tmux server on a private socket, with one session running the viewer.
struct TmuxViewer {
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

    /// Starts `rmpviz ARGS; echo EXIT=$?; sleep 30` in a detached 160×45 session, on a socket of its own
    /// (unique per start, so that tests never share or kill each other's servers). `directory` is the
    /// working directory of the program.
    static func start(_ arguments: [String] = [], width: Int = 160, height: Int = 45, directory: String? = nil,
                      colors: Bool = false, environment: [String] = [],
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> TmuxViewer {
        guard let tmux = findTmux() else {
            Issue.record("tmux is not installed (not found in PATH): the terminal tests of the viewer need it; install it (apt-get install tmux), as CI does",
                         sourceLocation: sourceLocation)
            throw TmuxMissing()
        }
        let binary = try ViewerBinary.require(sourceLocation: sourceLocation)
        let unique = UUID().uuidString.prefix(8)
        let t = TmuxViewer(tmux: tmux, socket: "rmpviz-test-\(getpid())-\(unique)", binary: binary)
        t.killServer()
        // The test runner may set NO_COLOR; a test of colours unsets it for the program.
        let command = (["env"] + (colors ? ["-u", "NO_COLOR"] : []) + ["LANG=C.UTF-8", "TERM=xterm-256color"] + environment + [binary.path] + arguments).map(shellQuote).joined(separator: " ")
            + "; echo EXIT=$?; sleep 30"
        var newSession = ["new-session", "-d", "-s", Self.session, "-x", String(width), "-y", String(height)]
        if let directory { newSession += ["-c", directory] }
        let r = try t.tmux(newSession + [command])
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

    /// The pane with its colours and attributes, as escape sequences.
    func captureStyled() -> String {
        (try? tmux(["capture-pane", "-p", "-e", "-t", Self.session]).stdout) ?? ""
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
    func wait(for what: String, seconds: Double = 20, sourceLocation: Testing.SourceLocation = #_sourceLocation,
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
    func wait(forText text: String, seconds: Double = 20, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
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
