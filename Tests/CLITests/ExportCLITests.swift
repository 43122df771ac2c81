// `rmpviz export`'s bad input, run as the real binary: usage errors exit 64 with a reason, and an
// output that cannot be written exits 73 and leaves nothing behind.
import Foundation
import Testing

/// Runs `rmpviz` with `arguments`; returns the exit status and standard error.
private func runExport(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let r = try BinaryRunner.run(arguments)
    return (r.status, r.out, r.err)
}

/// A fresh empty folder for one test.
private func scratchFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rmpviz-export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("rmpviz export on the command line")
struct ExportCLITests {
    /// The minimum is 80x23 (an 80x24 terminal with a tmux status line).
    @Test("--size below 80x23 exits 64 with the reason", arguments: ["10x10", "79x24", "80x22"])
    func sizeTooSmall(_ size: String) throws {
        let r = try runExport(["export", "upm-basics", "--size", size])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--size \(size)") && r.stderr.contains("80x23"))
        #expect(r.stdout.isEmpty)
    }

    @Test("--size not of the form COLSxROWS exits 64 with the reason", arguments: ["abc", "100", "100x", "x30", "100x30x2", "-100x30"])
    func sizeMalformed(_ size: String) throws {
        let r = try runExport(["export", "upm-basics", "--size=\(size)"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("COLSxROWS") || r.stderr.contains("80x23"))
    }

    /// A file (here `x.svg`) into a missing folder. A missing folder for one SVG per action is made
    /// when its parent exists, and is 73 too when it does not (CommandLinePolishTests).
    @Test("-o FILE into a missing folder exits 73 and creates nothing")
    func missingFolder() throws {
        let r = try runExport(["export", "upm-basics", "--format", "svg", "-o", "/nonexistent/dir/x.svg"])
        #expect(r.status == 73)
        #expect(r.stderr.contains("/nonexistent/dir") && r.stderr.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent"))
    }

    @Test("-o to an unwritable path exits 73 and leaves no file behind")
    func unwritable() throws {
        // Root may write anywhere a mode bit forbids; sysfs refuses new files even to root.
        let target: String
        var cleanup: URL?
        if getuid() == 0 {
            target = "/sys/rmpviz-export-test.txt"
        } else {
            let folder = try scratchFolder()
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
            cleanup = folder
            target = folder.appendingPathComponent("x.txt").path
        }
        defer {
            if let cleanup {
                try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: cleanup.path)
                try? FileManager.default.removeItem(at: cleanup)
            }
        }
        let r = try runExport(["export", "upm-basics", "-o", target])
        #expect(r.status == 73)
        #expect(r.stderr.contains(target) && r.stderr.contains("cannot write"))
        #expect(!FileManager.default.fileExists(atPath: target))
        if let cleanup {
            #expect(try FileManager.default.contentsOfDirectory(atPath: cleanup.path).isEmpty)
        }
    }

    @Test("-o naming a folder for a one-file format exits 73; the folder is untouched")
    func folderAsFile() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try runExport(["export", "upm-basics", "--format", "html", "-o", folder.path])
        #expect(r.status == 73)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("a good export writes the whole file and no temporary file")
    func writesAtomically() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("ghcb.cast")
        let r = try runExport(["export", "ghcb-upm", "--format", "cast", "--size", "100x30", "--interval", "0.5", "-o", file.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["ghcb.cast"])
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.hasPrefix("{\"version\": 2, \"width\": 100, \"height\": 30"))
        #expect(text.hasSuffix("]\n"))
    }

    @Test("svg with -o FOLDER writes one file per action")
    func svgPerAction() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try runExport(["export", "upm-basics", "--format", "svg", "--size", "80x24", "-o", folder.path])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        // As many actions as `rmpviz run` reports (upm-basics has one variant; 16 actions).
        let json = try BinaryRunner.run(["run", "upm-basics", "--format", "json"])
        let actions = jsonLines(json).count - 1
        #expect(actions == 16, json.summary)
        #expect(files.count == actions)
        #expect(files.first == "action-0001.svg" && files.last == String(format: "action-%04d.svg", actions), "\(files)")
    }

    @Test("other bad usage exits 64", arguments: [
        ["--format", "pdf"], ["--interval", "0"], ["--interval", "-1"], ["--step", "99"], ["--variant", "nope"],
    ])
    func badUsage(_ extra: [String]) throws {
        let r = try runExport(["export", "ghcb-upm"] + extra)
        #expect(r.status == 64)
        #expect(!r.stderr.isEmpty)
    }
}
