// Nothing from a file reaches the terminal raw, and no input crashes the binary.
import Foundation
import Testing
import TestSupport

/// SplitMix64: a fixed seed gives the same mutations on every run and every machine.

/// One to four random edits of a scene: bit flips, odd bytes, lines dropped, repeated or swapped, words moved.
func mutateScene(_ source: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
    var bytes = source
    let nl = UInt8(ascii: "\n"), space = UInt8(ascii: " ")
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
        var lines = bytes.split(separator: nl, omittingEmptySubsequences: false).map(Array.init)
        switch Int.random(in: 0..<8, using: &rng) {
        case 0 where !bytes.isEmpty:
            bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            continue
        case 1 where !bytes.isEmpty:
            let odd: [UInt8] = [0, 0x1B, 0x7F, 0x22, 0x5C, 0x5B, 0x5D, 0x3D, 0x2E, 0x23, 0x0A, 0x0D, 0xC2, 0x9B, 0xFF, 0x30]
            bytes[Int.random(in: 0..<bytes.count, using: &rng)] = odd.randomElement(using: &rng)!
            continue
        case 2 where lines.count > 1:
            lines.remove(at: Int.random(in: 0..<lines.count, using: &rng))
        case 3:
            let i = Int.random(in: 0..<lines.count, using: &rng)
            lines.insert(lines[i], at: Int.random(in: 0...lines.count, using: &rng))
        case 4 where lines.count > 1:
            lines.swapAt(Int.random(in: 0..<lines.count, using: &rng), Int.random(in: 0..<lines.count, using: &rng))
        case 5:
            let i = Int.random(in: 0..<lines.count, using: &rng)
            var words = lines[i].split(separator: space).map(Array.init)
            if words.count > 1 {
                words.swapAt(Int.random(in: 0..<words.count, using: &rng), Int.random(in: 0..<words.count, using: &rng))
                lines[i] = Array(words.joined(separator: [space]))
            }
        case 6:
            // Numbers at their edges: huge, zero, reversed ranges.
            let i = Int.random(in: 0..<lines.count, using: &rng)
            let numbers = ["0", "0x0", "0xffffffffffffffffff", "99999999999999999999", "0x10..0x0", "1..1048577", "-1", "at=0", "at=999"]
            lines[i] += [space] + Array(numbers.randomElement(using: &rng)!.utf8)
        default:
            let i = Int.random(in: 0..<lines.count, using: &rng), j = Int.random(in: 0..<lines.count, using: &rng)
            if let w = lines[j].split(separator: space).randomElement(using: &rng) { lines[i] += [space] + w }
        }
        bytes = Array(lines.joined(separator: [nl]))
    }
    return bytes
}

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
        let names = ["ghcb-upm", "no-upm-host-write", "pf-fixup", "kmap-guard", "pinned-ghcb", "upm-basics"]
        let sources = try names.map { try sceneFile("\($0).scene") }
        var rng = SeededRandom(state: 0xC11_5EED)
        var seen: [Int32: Int] = [:]
        for round in 0..<200 {
            let bytes = mutateScene(sources[round % sources.count], &rng)
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
