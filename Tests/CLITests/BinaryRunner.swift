// Runs the real `rmpviz` binary as a subprocess, with its output captured and a timeout.
import Foundation
import Testing

/// What one run of the binary did.
struct RunResult: Sendable {
    var arguments: [String]
    var status: Int32
    var reason: Process.TerminationReason
    var stdout: Data
    var stderr: Data
    var timedOut: Bool

    var out: String { String(decoding: stdout, as: UTF8.self) }
    var err: String { String(decoding: stderr, as: UTF8.self) }
    /// Non-empty lines of standard output.
    var outLines: [String] { out.split(separator: "\n").map(String.init) }
    var errLines: [String] { err.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    /// True when the process ended by `exit` (not a signal) within the timeout.
    var exitedNormally: Bool { reason == .exit && !timedOut }

    /// For failure messages.
    var summary: Comment { Comment(rawValue: summaryText) }

    var summaryText: String {
        "rmpviz \(arguments.joined(separator: " ")) → status \(status) (\(reason == .exit ? "exit" : "signal"))"
            + (timedOut ? " TIMED OUT" : "") + "\n--- stdout:\n\(out.prefix(4000))\n--- stderr:\n\(err.prefix(4000))"
    }
}

/// Thread-safe box for data read on another thread.
private final class Box<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ value: T) { self.value = value }
    func set(_ v: T) { lock.withLock { value = v } }
    func get() -> T { lock.withLock { value } }
}

enum BinaryRunner {
    /// The built `rmpviz` executable: next to the test bundle in the build products folder.
    static let binary: URL = locate()

    private static func locate() -> URL {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["RMPVIZ_BINARY"], fm.isExecutableFile(atPath: env) {
            return URL(fileURLWithPath: env)
        }
        var folders: [URL] = []
        if let exe = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent())
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        // macOS: .build/debug/rmpvizPackageTests.xctest/Contents/MacOS/… — walk up a few levels.
        for folder in folders {
            var dir = folder
            for _ in 0..<4 {
                let candidate = dir.appendingPathComponent("rmpviz")
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue,
                   fm.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        // Last resort: the package's own .build/debug.
        return packageRoot.appendingPathComponent(".build/debug/rmpviz")
    }

    /// The package folder (this file is Tests/CLITests/BinaryRunner.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs the binary with `arguments`; `directory` is the working directory (default: the package root,
    /// so `scenes/…` paths work). Both pipes are read to the end before waiting for the process.
    static func run(_ arguments: [String], in directory: URL? = nil, executable: URL? = nil,
                    timeout: TimeInterval = 120) throws -> RunResult {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["LANG"] = "C.UTF-8"
        env["LC_ALL"] = "C.UTF-8"
        var process = Process()
        var outPipe = Pipe(), errPipe = Pipe()
        for attempt in 1... {
            process = Process()
            process.executableURL = executable ?? binary
            process.arguments = arguments
            process.currentDirectoryURL = directory ?? packageRoot
            process.environment = env
            outPipe = Pipe()
            errPipe = Pipe()
            process.standardOutput = outPipe
            process.standardError = errPipe
            process.standardInput = FileHandle.nullDevice
            do {
                try process.run()
                break
            } catch where attempt < 40 && isTextFileBusy(error) {
                // A binary just copied (binaryCopiedAloneStillWorks) can be held open for writing
                // by a child another test forked meanwhile, until that child execs: wait and retry.
                Thread.sleep(forTimeInterval: 0.05)
            }
        }

        let pid = process.processIdentifier
        let timedOut = Box(false)
        let finished = Box(false)
        // The watchdog: kills only this child, by its id, if it runs too long.
        let watchdog = DispatchWorkItem {
            if !finished.get() {
                timedOut.set(true)
                kill(pid, SIGKILL)
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)

        let errData = Box(Data())
        let group = DispatchGroup()
        let errHandle = errPipe.fileHandleForReading
        DispatchQueue.global().async(group: group) {
            errData.set(errHandle.readDataToEndOfFile())
        }
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        finished.set(true)
        watchdog.cancel()

        return RunResult(arguments: arguments, status: process.terminationStatus,
                         reason: process.terminationReason, stdout: outData, stderr: errData.get(),
                         timedOut: timedOut.get())
    }
}

/// A temporary folder, removed by `remove()`.
struct TempFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("rmpviz-cli-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes a file and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// The text of a file in the package's `scenes/` folder.
func sceneFile(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: BinaryRunner.packageRoot.appendingPathComponent("scenes/\(name)")))
}

/// Bytes that must never reach a terminal from a file: C0 controls but newline, DEL and C1 controls
/// (as bytes of their UTF-8 encoding, U+0080–U+009F are C2 80–C2 9F).
func unsafeTerminalBytes(_ data: Data) -> [String] {
    var found: [String] = []
    if String(validating: data, as: UTF8.self) == nil { found.append("bytes that are not UTF-8") }
    let bytes = [UInt8](data)
    for (i, b) in bytes.enumerated() {
        if b < 0x20 && b != 0x0A { found.append("0x\(String(b, radix: 16)) at \(i)") }
        if b == 0x7F { found.append("0x7f at \(i)") }
    }
    for u in String(decoding: data, as: UTF8.self).unicodeScalars where (0x80...0x9F).contains(u.value) {
        found.append("U+\(String(u.value, radix: 16))")
    }
    return found
}

/// Expects a run to have ended by `exit` with `status`, without a crash or a trap.
func expectStatus(_ r: RunResult, _ status: Int32, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.exitedNormally && r.status == status, "expected status \(status): \(r.summary)",
            sourceLocation: sourceLocation)
    expectNoCrash(r, sourceLocation: sourceLocation)
}

/// Expects no Swift runtime trap or stack dump on standard error.
func expectNoCrash(_ r: RunResult, sourceLocation: SourceLocation = #_sourceLocation) {
    for marker in ["Fatal error", "Stack dump", "Current stack trace", "Illegal instruction", "Segmentation fault"] {
        #expect(!r.err.contains(marker), "stderr contains '\(marker)': \(r.summary)", sourceLocation: sourceLocation)
    }
}

/// ETXTBSY, as Foundation reports a spawn of a file still open for writing somewhere.
func isTextFileBusy(_ error: Error) -> Bool {
    let e = error as NSError
    if e.domain == NSPOSIXErrorDomain && e.code == Int(ETXTBSY) { return true }
    return (e.userInfo[NSUnderlyingErrorKey] as? NSError).map(isTextFileBusy) ?? false
}
