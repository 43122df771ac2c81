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

/// The built-in scenes' names (decks left out), from the `scenes/` folder, for parameterised tests;
/// empty only if the folder cannot be read, which `everyBuiltinSceneIsChecked` reports.
func builtinSceneNames() -> [String] {
    ((try? builtinFileNames()) ?? []).filter { $0.hasSuffix(".scene") }.map { ($0 as NSString).deletingPathExtension }
}

/// How many runs `rmpviz check talk` makes, from scenes/talk.deck: a `scene` (or `explore`) line with
/// variant= runs that variant; one without runs every variant of the scene.
func talkDeckRunCount() throws -> Int {
    let deck = String(decoding: try sceneFile("talk.deck"), as: UTF8.self)
    var count = 0
    for entry in deck.split(separator: "\n") where entry.hasPrefix("scene ") || entry.hasPrefix("explore ") {
        let words = entry.split(separator: " ")
        if words.contains(where: { $0.hasPrefix("variant=") }) {
            count += 1
        } else {
            count += max(1, variantNames(try sceneFile(String(words[1]))).count)
        }
    }
    return count
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

    @Test(arguments: builtinSceneNames())
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
            #expect(line.hasSuffix(")") && line.contains(" (kernel "), "every line names its kernel: \(line)")
        }
        #expect(r.err.isEmpty, r.summary)
    }

    /// Every scene in the folder is covered by the parameterised tests above, which take their
    /// arguments from the folder: check that listing is the folder's, and not empty.
    @Test func everyBuiltinSceneIsChecked() throws {
        let names = try builtinFileNames().filter { $0.hasSuffix(".scene") }.map { ($0 as NSString).deletingPathExtension }
        #expect(builtinSceneNames() == names)
        #expect(names.count >= 7, "scenes/ holds \(names)")
        #expect(Set(names).isSuperset(of: ["ghcb-upm", "upm-basics", "kmap-guard", "psc-refused"]), "\(names)")
        #expect(!names.contains("pinned-ghcb"), "pinned-ghcb was folded into ghcb-upm's mainline variant")
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
        #expect(r.outLines.count == (try talkDeckRunCount()), r.summary)
        #expect(r.outLines.allSatisfy { $0.hasPrefix("ok ") }, r.summary)
        #expect(r.outLines.contains { $0.contains("ghcb-upm.scene keep double-allocation") }, r.summary)
        #expect(r.outLines.contains { $0.contains("ghcb-upm.scene discard host-panic") }, r.summary)
    }

    @Test func checkDeckByBuiltinName() throws {
        let r = try BinaryRunner.run(["check", "talk"])
        expectStatus(r, 0)
        #expect(r.outLines.count == (try talkDeckRunCount()), r.summary)
        #expect(r.outLines.allSatisfy { $0.hasPrefix("ok ") }, r.summary)
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
        // One line per variant (keep, discard, mainline).
        #expect(check.outLines.count == variantNames(try sceneFile("ghcb-upm.scene")).count, check.summary)
        #expect(check.outLines.count == 3, check.summary)
        #expect(check.outLines.allSatisfy { $0.hasPrefix("ok ") }, check.summary)

        let deck = try BinaryRunner.run(["check", "talk"], in: tmp.url, executable: copy)
        expectStatus(deck, 0)
        #expect(deck.outLines.count == (try talkDeckRunCount()) && deck.outLines.allSatisfy { $0.hasPrefix("ok ") }, deck.summary)
    }

    @Test func failedExpectationExitsOneWithItsLocation() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        // ghcb-upm, with the keep variant (the first to say `expect no host-panic`) expecting a panic it
        // does not get. The mainline variant says it too: only the first is changed.
        let text = String(decoding: try sceneFile("ghcb-upm.scene"), as: UTF8.self)
        let keep = try #require(text.range(of: "\nvariant keep "))
        let first = try #require(text.range(of: "  expect no host-panic\n", range: keep.upperBound..<text.endIndex))
        let nextVariant = text.range(of: "\nvariant ", range: keep.upperBound..<text.endIndex)
        #expect(nextVariant.map { first.upperBound <= $0.lowerBound } ?? true, "the line changed is keep's")
        let broken = text.replacingCharacters(in: first, with: "  expect host-panic\n")
        let path = try tmp.write("fails.scene", broken)
        let lines = broken.split(separator: "\n", omittingEmptySubsequences: false)
        let lineNumber = try #require(lines.firstIndex { $0 == "  expect host-panic" }) + 1

        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 1)
        let fail = r.outLines.filter { $0.hasPrefix("FAIL") }
        #expect(fail.count == 1 && fail.first?.contains("fails.scene keep") == true, r.summary)
        #expect(r.outLines.contains { $0.hasPrefix("ok ") && $0.contains("discard") }, r.summary)
        #expect(r.outLines.contains { $0.hasPrefix("ok ") && $0.contains("fails.scene mainline") }, r.summary)
        #expect(r.out.contains("\(path):\(lineNumber):3: expect host-panic"), r.summary)

        // One failing scene among good ones still exits 1, and the good ones are reported: every
        // variant of ghcb-upm, all of fails.scene's but keep, and upm-basics (no variants: one run).
        let mixed = try BinaryRunner.run(["check", "ghcb-upm", path, "upm-basics"])
        expectStatus(mixed, 1)
        let variants = variantNames(try sceneFile("ghcb-upm.scene")).count
        #expect(variants == 3, "keep, discard, mainline")
        #expect(mixed.outLines.filter { $0.hasPrefix("ok ") }.count == variants + (variants - 1) + 1, mixed.summary)
        #expect(mixed.outLines.filter { $0.hasPrefix("FAIL") }.count == 1, mixed.summary)
    }
}
