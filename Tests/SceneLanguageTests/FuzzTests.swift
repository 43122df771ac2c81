import Testing
import TestSupport
@testable import SceneLanguage

/// SplitMix64: a fixed seed gives the same mutations on every run and every machine.

private func mutate(_ source: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
    var bytes = source
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0 where !bytes.isEmpty:
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            bytes[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            continue
        case 1 where !bytes.isEmpty:
            let interesting: [UInt8] = [0, 0x22, 0x5C, 0x5B, 0x5D, 0x3D, 0x2E, 0x23, 0x0A, 0x1B, 0xC2, 0x85, 0xFF, 0x39]
            bytes[Int.random(in: 0..<bytes.count, using: &rng)] = interesting.randomElement(using: &rng) ?? 0
            continue
        case 2 where lines.count > 1:
            lines.remove(at: Int.random(in: 0..<lines.count, using: &rng))
        case 3:
            let i = Int.random(in: 0..<lines.count, using: &rng)
            lines.insert(lines[i], at: Int.random(in: 0...lines.count, using: &rng))
        case 4:
            let i = Int.random(in: 0..<lines.count, using: &rng)
            var words = lines[i].split(separator: UInt8(ascii: " ")).map(Array.init)
            if words.count > 1 {
                let a = Int.random(in: 0..<words.count, using: &rng), b = Int.random(in: 0..<words.count, using: &rng)
                words.swapAt(a, b)
                lines[i] = Array(words.joined(separator: [UInt8(ascii: " ")]))
            }
        default:
            // Grafts a word from elsewhere: keywords in the wrong place, numbers in names.
            let i = Int.random(in: 0..<lines.count, using: &rng), j = Int.random(in: 0..<lines.count, using: &rng)
            let words = lines[j].split(separator: UInt8(ascii: " "))
            if let w = words.randomElement(using: &rng) { lines[i] += [UInt8(ascii: " ")] + w }
        }
        bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
    }
    return bytes
}

@Test func parserSurvivesMutations() {
    var rng = SeededRandom(state: 0x5EED)
    let sources = Samples.all.map { Array($0.utf8) }
    var accepted = 0, refused = 0
    for round in 0..<10_000 {
        let text = mutate(sources[round % sources.count], &rng)
        let lineCount = text.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        switch parseScene(bytes: text, path: "f.scene") {
        case .success(let scene):
            accepted += 1
            #expect(!scene.steps.isEmpty && !scene.title.isEmpty || scene.title.isEmpty)
        case .failure(let diagnostics):
            refused += 1
            #expect(!diagnostics.isEmpty && diagnostics.count <= 20)
            for d in diagnostics where !(1...(lineCount + 1)).contains(d.location.line) || d.location.column < 1 {
                Issue.record("round \(round): \(d.location) outside the text of \(lineCount) lines: \(d.message)")
                return
            }
            // Rendering must never fail either, and never print a control character.
            if round % 10 == 0 {
                let shown = diagnostics.rendered(source: String(decoding: text, as: UTF8.self))
                #expect(!shown.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
            }
        }
    }
    #expect(accepted > 100 && refused > 1_000)
}
