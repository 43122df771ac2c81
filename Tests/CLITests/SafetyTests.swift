// Nothing from a file reaches the terminal raw, and no input crashes the binary.
import Foundation
import Testing
import TestSupport



@Suite struct SafetyTests {
    @Test func controlCharactersNeverReachStderrRaw() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        var bytes: [UInt8] = []
        bytes += Array("title \"a".utf8) + [0x1B] + Array("[31mred\"\n".utf8)
        bytes += Array("# comment ".utf8) + [0x1B] + Array("]0;owned".utf8) + [0x07] + Array(" here\n".utf8)
        bytes += Array("page gh".utf8) + [0x1B] + Array("[2Jcb gfn=0x10\n".utf8)
        bytes += Array("step \"s".utf8) + [0xC2, 0x9B] + Array("1m\"\n".utf8)      // U+009B, CSI
        bytes += Array("  kvm map gh".utf8) + [0x1B] + Array("cb via=kmap\n".utf8)
        bytes += Array("  say \"x".utf8) + [0x7F] + Array("y".utf8) + [0xC2, 0x85] + Array("\"\n".utf8)
        bytes += Array("  note \"".utf8) + [0x01, 0x08, 0x0D, 0x0C] + Array("\"\n".utf8)
        bytes += Array("  kvm write ghcb\r\n".utf8)
        let path = try tmp.write("controls.scene", bytes)
        for args in [["check", path], ["run", path], ["run", path, "--format", "json"]] {
            let r = try BinaryRunner.run(args)
            expectStatus(r, 65)
            #expect(!r.err.isEmpty)
            #expect(r.out.isEmpty, r.summary)
            let bad = unsafeTerminalBytes(r.stderr)
            #expect(bad.isEmpty, "stderr holds \(bad): \(r.summary)")
            let count = diagnostics(in: r.err, path: path).count
            #expect(count >= 5, "each control character in a string or a name is an error: \(r.summary)")
        }
    }

    /// Arguments and theme files are quoted in error messages too: they are cleaned the same way.
    @Test func escapesInArgumentsAndThemeFilesNeverReachStderrRaw() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let theme = try tmp.write("bad.theme", Array("name x\n".utf8) + [0x1B] + Array("[31mred #ffffff #000000\n".utf8))
        let cases: [([String], Int32)] = [
            (["run", "ghcb-upm", "--format", "\u{1B}[31mx"], 64),
            (["run", "ghcb-upm", "--set", "upm=\u{1B}]0;t\u{07}"], 64),
            (["export", "ghcb-upm", "--theme", theme], 65),
            (["export", "ghcb-upm", "--theme", "\u{1B}[2Jnope"], 66),
        ]
        for (args, status) in cases {
            let r = try BinaryRunner.run(args)
            #expect(r.status == status, "\(args): status \(r.status)")
            #expect(!r.err.isEmpty, "\(args): an error is printed")
            #expect(unsafeTerminalBytes(r.stderr).isEmpty, "\(args): \(unsafeTerminalBytes(r.stderr))")
        }
    }

    @Test func controlCharacterInDeckNeverReachesStderrRaw() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let bytes = Array("title \"t".utf8) + [0x1B, 0x5B, 0x33, 0x31, 0x6D] + Array("\"\nscene ../x".utf8) + [0x1B]
            + Array("\nscene \"gone".utf8) + [0x07] + Array("\"\n".utf8)
        let path = try tmp.write("controls.deck", bytes)
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 65)
        #expect(unsafeTerminalBytes(r.stderr).isEmpty, r.summary)
    }

    /// A comment may hold anything, but a failing scene's source lines shown under a diagnostic are cleaned.
    @Test func controlCharacterInCommentOfShownLineIsCleaned() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let bytes = Array("title \"t\"\nstep \"s\"\n  kvm map nope # ".utf8) + [0x1B] + Array("[2J\u{7}".utf8) + [0x0A]
        let path = try tmp.write("comment.scene", bytes)
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 65)
        #expect(diagnostics(in: r.err, path: path).first?.line == 3, r.summary)
        #expect(unsafeTerminalBytes(r.stderr).isEmpty, r.summary)
    }

    /// A file name is not scene text, but `rmpviz check *` in someone else's folder prints names too.
    @Test func fileNameWithControlCharactersIsNotPrintedRaw() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let path = try tmp.write("e\u{1B}[31mvil.scene", "title \"x\"\nstep \"s\"\n  kvm map nope\n")
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 65)
        #expect(unsafeTerminalBytes(r.stderr).isEmpty, "stderr holds the file name's ESC raw: \(r.summary)")

        let missing = try BinaryRunner.run(["check", tmp.path("gone\u{1B}]0;x\u{7}.scene")])
        expectStatus(missing, 66)
        #expect(unsafeTerminalBytes(missing.stderr).isEmpty, missing.summary)
    }

    @Test func unusualUnicodeInALabelRunsFine() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let text = """
            title "Ünïcödé 🧪 \u{202E}RTL\u{202C} zero\u{200B}width"
            about "日本語のテキスト, e\u{301}, 👩‍👩‍👧‍👦, \u{FEFF}BOM-in-text"
            page ghcb gfn=0x10 shared label="GHCB 🎉 \u{202E}evil\u{202C} 한국어 \u{FFFD}"
            step "Ставим ✓"
              kvm map ghcb via=kmap
              say "Text with a tab escape\\tand \\"quotes\\" and combining a\u{0308}"
              note "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"
            expect no host-panic
            """
        let path = try tmp.write("unicode.scene", text)
        let check = try BinaryRunner.run(["check", path])
        expectStatus(check, 0)
        #expect(check.outLines.count == 1 && check.outLines[0].hasPrefix("ok "), check.summary)
        let run = try BinaryRunner.run(["run", path])
        expectStatus(run, 0)
        #expect(run.outLines.last?.hasPrefix("ending: completed") == true, run.summary)
        #expect(unsafeTerminalBytes(run.stdout).isEmpty, run.summary)
        let json = try BinaryRunner.run(["run", path, "--format", "json"])
        expectStatus(json, 0)
        let objects = jsonLines(json)
        #expect(objects.count == 2, json.summary)
        #expect(objects.first?["step_title"] as? String == "Ставим ✓", json.summary)
    }

    /// 200 seeded mutations of built-in scenes through `rmpviz check`: only the documented statuses.
    @Test func mutatedScenesNeverCrashTheBinary() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let names = builtinSceneNames()
        #expect(names.count >= 7, "scenes/ holds \(names)")
        let sources = try names.map { try sceneFile("\($0).scene") }
        var rng = SeededRandom(state: 0xC11_5EED)
        var seen: [Int32: Int] = [:]
        for round in 0..<200 {
            let bytes = SceneMutator.mutate(sources[round % sources.count], &rng)
            let path = try tmp.write("m\(round).scene", bytes)
            let r = try BinaryRunner.run(["check", path], timeout: 60)
            seen[r.status, default: 0] += 1
            let ok = r.reason == .exit && !r.timedOut && [0, 1, 65].contains(r.status)
                && !r.err.contains("Fatal error") && !r.err.contains("Stack dump")
            if !ok {
                Issue.record("round \(round) (\(path)): \(r.summary)")
                return
            }
            #expect(unsafeTerminalBytes(r.stderr).isEmpty, "round \(round): \(r.summary)")
            try? FileManager.default.removeItem(atPath: path)
        }
        // The mutations exercise both sides: some still parse, most do not.
        #expect((seen[65] ?? 0) > 50 && (seen[0] ?? 0) + (seen[1] ?? 0) > 10, "statuses seen: \(seen)")
    }
}
