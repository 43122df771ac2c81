// Scene errors (65), unreadable files (66) and bad usage (64), through the real binary.
import Foundation
import Testing

/// One `path:line:col: error: message` diagnostic with the lines after it.
struct PrintedDiagnostic {
    var path: String
    var line: Int
    var column: Int
    var message: String
    var source: String?
    var caret: String?
}

/// Splits standard error into diagnostics; lines that are not headers, source or caret are hints.
func diagnostics(in err: String, path: String) -> [PrintedDiagnostic] {
    let lines = err.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var out: [PrintedDiagnostic] = []
    var i = 0
    while i < lines.count {
        let l = lines[i]
        guard l.hasPrefix(path + ":") else { i += 1; continue }
        let rest = l.dropFirst(path.count + 1)
        let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let line = Int(parts[0]), let col = Int(parts[1]),
              parts[2].hasPrefix(" error: ") else { i += 1; continue }
        var d = PrintedDiagnostic(path: path, line: line, column: col, message: String(parts[2].dropFirst(8)))
        if i + 2 < lines.count, lines[i + 2].trimmingCharacters(in: .whitespaces).hasPrefix("^") {
            d.source = lines[i + 1]
            d.caret = lines[i + 2]
            i += 3
        } else {
            i += 1
        }
        out.append(d)
    }
    return out
}

/// Expects the caret to sit at `column` under the source line, and the source line to be line `line` of `text`.
func expectCaret(_ d: PrintedDiagnostic, in text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(d.line >= 1 && d.line <= lines.count, "line \(d.line)", sourceLocation: sourceLocation)
    guard d.line >= 1, d.line <= lines.count else { return }
    #expect(d.source == String(lines[d.line - 1]), "source line of \(d.line): \(d.source ?? "none")",
            sourceLocation: sourceLocation)
    let caret = d.caret ?? ""
    #expect(caret.prefix(d.column - 1).allSatisfy { $0 == " " } && caret.dropFirst(d.column - 1).first == "^",
            "caret at column \(d.column): |\(caret)|", sourceLocation: sourceLocation)
}

@Suite struct ErrorTests {
    @Test func unknownPageGivesDidYouMeanWithCaret() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let original = String(decoding: try sceneFile("ghcb-upm.scene"), as: UTF8.self)
        try #require(original.components(separatedBy: "\n  kvm map ghcb\n").count == 2, "ghcb-upm maps the GHCB once")
        let text = original.replacingOccurrences(of: "\n  kvm map ghcb\n", with: "\n  kvm map ghbc\n")
        let path = try tmp.write("typo.scene", text)
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 65)
        #expect(r.out.isEmpty, "no ok/FAIL lines for a scene that does not parse: \(r.summary)")
        let ds = diagnostics(in: r.err, path: path)
        try #require(ds.count == 1, r.summary)
        let d = ds[0]
        let lineNumber = text.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("ghbc") }! + 1
        #expect(d.line == lineNumber && d.column == 11, r.summary)
        #expect(d.message.contains("unknown page 'ghbc'") && d.message.contains("did you mean 'ghcb'?"), r.summary)
        #expect(d.caret?.trimmingCharacters(in: .whitespaces) == "^~~~", r.summary)
        expectCaret(d, in: text)
    }

    @Test func severalErrorsAtOnce() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let text = """
            title "Three mistakes"
            page ghcb gfn=0x10 shared
            step "one"
              kvm map ghbc via=kmap
              guest pscx ghcb private
              vmm convert ghcb privat
            expect host-panik
            """
        let path = try tmp.write("many.scene", text)
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 65)
        let ds = diagnostics(in: r.err, path: path)
        #expect(ds.count >= 4, r.summary)
        #expect(Set(ds.map(\.line)).isSuperset(of: [4, 5, 6, 7]), r.summary)
        #expect(ds.map(\.line) == ds.map(\.line).sorted(), "diagnostics in file order: \(r.summary)")
        for d in ds { expectCaret(d, in: text) }
        #expect(ds.contains { $0.line == 5 && $0.message.contains("did you mean 'psc'?") }, r.summary)
    }

    @Test func errorsInTwoFilesAreAllReported() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let a = try tmp.write("a.scene", "title \"a\"\nstep \"s\"\n  kvm map nope\n")
        let b = try tmp.write("b.scene", "title \"b\"\nstep \"s\"\n  host frob\n")
        let r = try BinaryRunner.run(["check", a, "ghcb-upm", b])
        expectStatus(r, 65)
        #expect(!diagnostics(in: r.err, path: a).isEmpty && !diagnostics(in: r.err, path: b).isEmpty, r.summary)
        // One ok line per variant of ghcb-upm (keep, discard, mainline).
        let variants = variantNames(try sceneFile("ghcb-upm.scene")).count
        #expect(variants == 3)
        #expect(r.outLines.filter { $0.hasPrefix("ok ") }.count == variants, "the good scene is still checked: \(r.summary)")
    }

    @Test func missingFileIs66() throws {
        let r = try BinaryRunner.run(["check", "no/such/file.scene"])
        expectStatus(r, 66)
        #expect(r.err.contains("no/such/file.scene") && r.err.contains("no such file"), r.summary)
        #expect(r.errLines.filter { !$0.isEmpty }.count == 1, r.summary)

        let run = try BinaryRunner.run(["run", "nothing-like-this"])
        expectStatus(run, 66)
        #expect(run.err.contains("nothing-like-this"), run.summary)
        #expect(run.out.isEmpty, run.summary)
    }

    @Test func directoryIs66WithOneLine() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let r = try BinaryRunner.run(["check", tmp.url.path])
        expectStatus(r, 66)
        let lines = r.errLines.filter { !$0.isEmpty }
        #expect(lines.count == 1 && lines[0].contains("directory"), r.summary)
    }

    @Test func unreadableFileIs66() throws {
        // Root reads anything; the check is only meaningful for an ordinary user.
        guard getuid() != 0 else { return }
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let path = try tmp.write("secret.scene", try sceneFile("ghcb-upm.scene"))
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: path)
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 66)
    }

    @Test func emptyFileIs65WithOneError() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let path = try tmp.write("empty.scene", [UInt8]())
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 65)
        let ds = diagnostics(in: r.err, path: path)
        #expect(ds.count == 1 && ds.first?.message.contains("empty") == true, r.summary)
        #expect(r.err.components(separatedBy: "error:").count == 2, r.summary)
    }

    @Test func nonUTF8FileIs65WithOneError() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        var bytes = Array("title \"caf".utf8) + [0xE9] + Array("\"\nstep \"s\"\n  kvm map ghcb\n".utf8)
        bytes += [0xFF, 0xFE, 0x0A]
        let path = try tmp.write("latin1.scene", bytes)
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 65)
        let ds = diagnostics(in: r.err, path: path)
        #expect(ds.count == 1 && ds.first?.message.contains("UTF-8") == true, r.summary)
        #expect(ds.first?.line == 1, r.summary)
        #expect(r.err.components(separatedBy: "error:").count == 2, r.summary)
        #expect(String(validating: r.stderr, as: UTF8.self) != nil, "stderr is UTF-8: \(r.summary)")
    }

    /// A file of many ordinary lines, past 1 MiB.
    @Test func fileOverOneMiBIs65WithOneError() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        var text = String(decoding: try sceneFile("ghcb-upm.scene"), as: UTF8.self)
        while text.utf8.count <= 1 << 20 { text += "# padding padding padding padding padding padding padding\n" }
        let path = try tmp.write("big.scene", text)
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 65)
        let ds = diagnostics(in: r.err, path: path)
        #expect(ds.count == 1 && ds.first?.message.contains("1 MiB") == true, r.summary)
        #expect(r.err.components(separatedBy: "error:").count == 2, r.summary)
    }

    /// A file over 1 MiB that is one long line: still one clear error, not the megabyte echoed back.
    @Test func fileOverOneMiBOnOneLineIsNotEchoed() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let bytes = Array("title \"x\" ".utf8) + [UInt8](repeating: UInt8(ascii: "#"), count: (1 << 20) + 16)
        let path = try tmp.write("oneline.scene", bytes)
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 65)
        #expect(r.err.contains("1 MiB"), r.summary)
        #expect(r.err.components(separatedBy: "error:").count == 2, r.summary)
        #expect(r.stderr.count < 16_384, "stderr is \(r.stderr.count) bytes for one error about the file's size")
    }

    @Test func overlongLineIsOneErrorAndNotEchoedWhole() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let text = "title \"x\"\nstep \"s\"\n  say \"" + String(repeating: "a", count: 200_000) + "\"\n"
        let path = try tmp.write("long.scene", text)
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 65)
        let ds = diagnostics(in: r.err, path: path)
        #expect(ds.contains { $0.line == 3 && $0.message.contains("4,096") || $0.message.contains("4096") }, r.summary)
        #expect(r.stderr.count < 16_384, "stderr is \(r.stderr.count) bytes")
    }

    @Test(arguments: [
        ["check", "--bogus", "ghcb-upm"],
        ["run", "ghcb-upm", "--frobnicate"],
        ["run"],
        ["check"],
        ["run", "ghcb-upm", "--format", "xml"],
        ["run", "ghcb-upm", "--set", "nope=1"],
        ["run", "ghcb-upm", "--set", "upm=maybe"],
        ["run", "ghcb-upm", "--set", "upm"],
        ["run", "ghcb-upm", "--variant", "nosuch"],
        ["run", "pf-fixup", "--variant", "keep"],
        ["run", "talk"],
        ["list", "extra"],
        ["no-such-subcommand-or-scene", "x", "y"],
    ])
    func badUsageIs64(_ arguments: [String]) throws {
        let r = try BinaryRunner.run(arguments)
        expectStatus(r, 64)
        #expect(!r.err.isEmpty, "an explanation on stderr: \(r.summary)")
        #expect(r.out.isEmpty, "nothing on stdout: \(r.summary)")
    }

    @Test func unknownVariantNamesTheValidOnes() throws {
        let r = try BinaryRunner.run(["run", "ghcb-upm", "--variant", "kep"])
        expectStatus(r, 64)
        #expect(r.err.contains("keep") && r.err.contains("discard"), r.summary)
    }

    @Test func badSetNamesTheValidValues() throws {
        let r = try BinaryRunner.run(["run", "ghcb-upm", "--set", "upm=maybe"])
        expectStatus(r, 64)
        #expect(r.err.contains("on") && r.err.contains("off") && r.err.contains("maybe"), r.summary)
    }

    @Test func deckNamingMissingSceneIs65AtThatLine() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let text = """
            title "A deck with a hole"
            scene ghcb-upm.scene variant=keep
            scene missing-thing.scene
            scene upm-basics
            """
        let path = try tmp.write("hole.deck", text)
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 65)
        let ds = diagnostics(in: r.err, path: path)
        try #require(ds.count == 1, r.summary)
        #expect(ds[0].line == 3 && ds[0].column == 7, r.summary)
        #expect(ds[0].message.contains("missing-thing.scene"), r.summary)
        #expect(ds[0].caret?.trimmingCharacters(in: .whitespaces) == "^" + String(repeating: "~", count: 18), r.summary)
        expectCaret(ds[0], in: text)
    }

    @Test func deckNamingMissingVariantIs65AtThatLine() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let text = "title \"d\"\nscene ghcb-upm.scene variant=kept\n"
        let path = try tmp.write("v.deck", text)
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 65)
        let ds = diagnostics(in: r.err, path: path)
        #expect(ds.count == 1 && ds.first?.line == 2 && ds.first?.message.contains("kept") == true, r.summary)
    }

    @Test func deckFindsScenesNextToIt() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        try tmp.write("mine.scene", "title \"mine\"\npage p gfn=0x10\nstep \"s\"\n  kvm map p via=kmap\n")
        let deck = try tmp.write("d.deck", "title \"d\"\nscene mine.scene\nscene ghcb-upm.scene variant=discard\n")
        // Run from elsewhere: the entry is found relative to the deck, not the working directory.
        let r = try BinaryRunner.run(["check", deck])
        expectStatus(r, 0)
        #expect(r.outLines.count == 2, r.summary)
        #expect(r.outLines.first?.contains("mine.scene") == true, r.summary)
    }

    @Test func deckWithSceneErrorReportsTheScene() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let scene = try tmp.write("broken.scene", "title \"b\"\nstep \"s\"\n  kvm map nowhere\n")
        let deck = try tmp.write("d.deck", "title \"d\"\nscene broken.scene\n")
        let r = try BinaryRunner.run(["check", deck])
        expectStatus(r, 65)
        #expect(diagnostics(in: r.err, path: scene).first?.line == 3, r.summary)
    }
}
