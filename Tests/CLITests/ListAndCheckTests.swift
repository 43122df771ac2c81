// `rmpviz list` and `rmpviz check` on the built-in scenes, run through the real binary.
import Foundation
import Testing

/// The built-in files, from the `scenes/` folder (the binary's only source of them).
func builtinFileNames() throws -> [String] {
    let folder = BinaryRunner.packageRoot.appendingPathComponent("scenes")
    return try FileManager.default.contentsOfDirectory(atPath: folder.path)
        .filter { $0.hasSuffix(".scene") || $0.hasSuffix(".deck") }
        .sorted()
}

/// The first string on the scene's or deck's `title` line.
func declaredTitle(_ bytes: [UInt8]) -> String? {
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
        let t = line.drop { $0 == " " }
        guard t.hasPrefix("title "), let open = t.firstIndex(of: "\""), let close = t.lastIndex(of: "\""),
              open < close else { continue }
        return String(t[t.index(after: open)..<close])
    }
    return nil
}

/// The names of a scene's variants, from its `variant NAME "…"` lines.
func variantNames(_ bytes: [UInt8]) -> [String] {
    String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
        let words = line.split(separator: " ")
        return words.first == "variant" && words.count > 1 ? String(words[1]) : nil
    }
}

@Suite struct ListAndCheckTests {
    @Test func listShowsEveryBuiltinWithItsTitle() throws {
        let r = try BinaryRunner.run(["list"])
        expectStatus(r, 0)
        let files = try builtinFileNames()
        #expect(files.count >= 7, "scenes/ holds \(files)")
        #expect(r.outLines.count == files.count, "one line per built-in: \(r.summary)")
        for file in files {
            let name = (file as NSString).deletingPathExtension
            let kind = file.hasSuffix(".deck") ? "deck" : "scene"
            let title = try #require(declaredTitle(try sceneFile(file)), "\(file) has a title")
            let line = r.outLines.first { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map(String.init) == name }
            #expect(line != nil, "no line for \(name): \(r.summary)")
            #expect(line?.hasPrefix(kind) == true, "\(name) is listed as a \(kind): \(line ?? "")")
            #expect(line?.contains(title) == true, "\(name) is listed with its title \"\(title)\": \(line ?? "")")
        }
        #expect(r.outLines.contains { $0.hasPrefix("deck") && $0.contains("talk") })
    }

    @Test(arguments: [["--help"], ["check", "--help"], ["run", "--help"], ["list", "--help"], ["--version"]])
    func helpAndVersionExitZero(_ arguments: [String]) throws {
        let r = try BinaryRunner.run(arguments)
        expectStatus(r, 0)
        #expect(!r.out.isEmpty, r.summary)
        if arguments == ["--version"] {
            #expect(r.out.hasPrefix("rmpviz "), r.summary)
        } else {
            #expect(r.out.contains("USAGE") || r.out.contains("Usage"), r.summary)
        }
    }

    @Test(arguments: ["ghcb-upm", "no-upm-host-write", "pf-fixup", "kmap-guard", "pinned-ghcb", "upm-basics"])
    func checkBuiltinByName(_ name: String) throws {
        let r = try BinaryRunner.run(["check", name])
        expectStatus(r, 0)
        let variants = variantNames(try sceneFile("\(name).scene"))
        let expected = variants.isEmpty ? ["-"] : variants
        #expect(r.outLines.count == expected.count, "one line per variant \(expected): \(r.summary)")
        for (line, variant) in zip(r.outLines, expected) {
            let words = line.split(separator: " ").map(String.init)
            #expect(words.first == "ok", r.summary)
            #expect(words.count >= 4 && words[1].hasSuffix("\(name).scene") && words[2] == variant, "line \(line)")
        }
        #expect(r.err.isEmpty, r.summary)
    }

    /// Every scene in the folder is covered by the parameterised test above.
    @Test func everyBuiltinSceneIsChecked() throws {
        let names = try builtinFileNames().filter { $0.hasSuffix(".scene") }.map { ($0 as NSString).deletingPathExtension }
        #expect(Set(names) == ["ghcb-upm", "no-upm-host-write", "pf-fixup", "kmap-guard", "pinned-ghcb", "upm-basics"])
    }

    @Test func checkAllScenesAtOnce() throws {
        let files = try builtinFileNames().filter { $0.hasSuffix(".scene") }
        let r = try BinaryRunner.run(["check"] + files.map { "scenes/\($0)" })
        expectStatus(r, 0)
        var total = 0
        for f in files { total += max(1, variantNames(try sceneFile(f)).count) }
        #expect(r.outLines.count == total, r.summary)
        #expect(r.outLines.allSatisfy { $0.hasPrefix("ok ") }, r.summary)
    }

    @Test func checkDeckByPath() throws {
        let r = try BinaryRunner.run(["check", "scenes/talk.deck"])
        expectStatus(r, 0)
        let deck = String(decoding: try sceneFile("talk.deck"), as: UTF8.self)
        let entries = deck.split(separator: "\n").filter { $0.hasPrefix("scene ") }
        // A deck entry with variant= runs that variant; one without runs every variant of the scene.
        var expected = 0
        for e in entries {
            let words = e.split(separator: " ")
            if words.contains(where: { $0.hasPrefix("variant=") }) {
                expected += 1
            } else {
                expected += max(1, variantNames(try sceneFile(String(words[1]))).count)
            }
        }
        #expect(r.outLines.count == expected, r.summary)
        #expect(r.outLines.allSatisfy { $0.hasPrefix("ok ") }, r.summary)
        #expect(r.outLines.contains { $0.contains("ghcb-upm.scene keep double-allocation") }, r.summary)
        #expect(r.outLines.contains { $0.contains("ghcb-upm.scene discard host-panic") }, r.summary)
    }

    @Test func checkDeckByBuiltinName() throws {
        let r = try BinaryRunner.run(["check", "talk"])
        expectStatus(r, 0)
        #expect(r.outLines.count >= 9, r.summary)
    }

    /// Built-in scenes are compiled in: the binary works alone, far from `scenes/`.
    @Test func binaryCopiedAloneStillWorks() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let copy = tmp.url.appendingPathComponent("rmpviz")
        try FileManager.default.copyItem(at: BinaryRunner.binary, to: copy)
        #expect(!FileManager.default.fileExists(atPath: tmp.path("scenes")))

        let list = try BinaryRunner.run(["list"], in: tmp.url, executable: copy)
        expectStatus(list, 0)
        #expect(list.outLines.count == (try builtinFileNames()).count, list.summary)
        #expect(list.out.contains("ghcb-upm") && list.out.contains("talk"), list.summary)
        #expect(!list.out.contains("does not parse"), list.summary)

        let check = try BinaryRunner.run(["check", "ghcb-upm"], in: tmp.url, executable: copy)
        expectStatus(check, 0)
        #expect(check.outLines.count == 2, check.summary)
        #expect(check.outLines.allSatisfy { $0.hasPrefix("ok ") }, check.summary)

        let deck = try BinaryRunner.run(["check", "talk"], in: tmp.url, executable: copy)
        expectStatus(deck, 0)
        #expect(deck.outLines.count >= 9 && deck.outLines.allSatisfy { $0.hasPrefix("ok ") }, deck.summary)
    }

    @Test func failedExpectationExitsOneWithItsLocation() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        // ghcb-upm, with the keep variant expecting a panic it does not get.
        let text = String(decoding: try sceneFile("ghcb-upm.scene"), as: UTF8.self)
        #expect(text.contains("  expect no host-panic\n"))
        let broken = text.replacingOccurrences(of: "  expect no host-panic\n", with: "  expect host-panic\n")
        let path = try tmp.write("fails.scene", broken)
        let lines = broken.split(separator: "\n", omittingEmptySubsequences: false)
        let lineNumber = try #require(lines.firstIndex { $0 == "  expect host-panic" }) + 1

        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 1)
        let fail = r.outLines.filter { $0.hasPrefix("FAIL") }
        #expect(fail.count == 1 && fail.first?.contains("fails.scene keep") == true, r.summary)
        #expect(r.outLines.contains { $0.hasPrefix("ok ") && $0.contains("discard") }, r.summary)
        #expect(r.out.contains("\(path):\(lineNumber):3: expect host-panic"), r.summary)

        // One failing scene among good ones still exits 1, and the good ones are reported.
        let mixed = try BinaryRunner.run(["check", "ghcb-upm", path, "upm-basics"])
        expectStatus(mixed, 1)
        #expect(mixed.outLines.filter { $0.hasPrefix("ok ") }.count == 4, mixed.summary)
    }
}
