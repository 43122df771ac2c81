// The engine half of the fuzz test: mutated built-in scenes that still parse must run without a
// trap, and their traces must hold together.
import BuiltinScenes
import MemoryModel
import SceneLanguage
import StepEngine
import Testing
import TestSupport

/// SplitMix64: a fixed seed gives the same mutations on every run and every machine.

/// Words of the language, put in place of a token to make scenes that parse but do odd things.
private let vocabulary = [
    "kvm", "guest", "vmm", "host", "map", "unmap", "write", "read", "exit", "resume", "psc", "convert",
    "pvalidate", "alloc", "free", "private", "shared", "unbacked", "on", "off", "via=kmap", "via=page_address",
    "ghcb", "heap", "ghcb[0]", "ghcb[0..0]", "0x10", "0x0", "0x100..0x10f", "0x100..0x100", "at=1", "at=99",
    "no", "expect", "host-panic", "double-allocation", "use-after-free", "set", "config", "step \"x\"",
    "variant v \"v\"", "discard-on-convert", "upm", "directmap-unmap", "pf-fixup", "kmap-guard",
]

/// One to four edits: bytes, lines or tokens.
func mutate(_ source: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
    var bytes = source
    let nl = UInt8(ascii: "\n"), space = UInt8(ascii: " ")
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
        var lines = bytes.split(separator: nl, omittingEmptySubsequences: false).map(Array.init)
        switch Int.random(in: 0..<9, using: &rng) {
        case 0 where !bytes.isEmpty:
            bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            continue
        case 1 where !bytes.isEmpty:
            let odd: [UInt8] = [0, 0x1B, 0x7F, 0x22, 0x5C, 0x5B, 0x5D, 0x3D, 0x2E, 0x23, 0x0A, 0xC2, 0x85, 0xFF, 0x39]
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
            // Replace one token by a word of the language.
            let i = Int.random(in: 0..<lines.count, using: &rng)
            var words = lines[i].split(separator: space).map(Array.init)
            if !words.isEmpty {
                words[Int.random(in: 0..<words.count, using: &rng)] = Array(vocabulary.randomElement(using: &rng)!.utf8)
                lines[i] = [space, space] + Array(words.joined(separator: [space]))
            }
        case 7:
            // Delete one token.
            let i = Int.random(in: 0..<lines.count, using: &rng)
            var words = lines[i].split(separator: space).map(Array.init)
            if words.count > 1 {
                words.remove(at: Int.random(in: 0..<words.count, using: &rng))
                lines[i] = Array(words.joined(separator: [space]))
            }
        default:
            let i = Int.random(in: 0..<lines.count, using: &rng), j = Int.random(in: 0..<lines.count, using: &rng)
            if let w = lines[j].split(separator: space).randomElement(using: &rng) { lines[i] += [space] + w }
        }
        bytes = Array(lines.joined(separator: [nl]))
    }
    return bytes
}

@Test func engineSurvivesMutatedBuiltinScenes() {
    let sources = BuiltinScenes.all.filter { !$0.isDeck }.map(\.bytes)
    #expect(sources.count >= 6)
    var rng = SeededRandom(state: 0xE261_5EED)
    var parsed = 0, refused = 0, runs = 0, skipped = 0
    var endings: Set<String> = []
    for round in 0..<10_000 {
        let text = mutate(sources[round % sources.count], &rng)
        let lineCount = text.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        switch parseScene(bytes: text, path: "m.scene") {
        case .failure(let diagnostics):
            refused += 1
            #expect(!diagnostics.isEmpty)
            for d in diagnostics where !(1...(lineCount + 1)).contains(d.location.line) || d.location.column < 1 {
                Issue.record("round \(round): diagnostic at \(d.location) outside \(lineCount) lines: \(d.message)")
                return
            }
        case .success(let scene):
            parsed += 1
            // Mutated scenes are small; a mutation that declares a huge pool or many steps is skipped,
            // so the test stays quick in a debug build.
            let pages = scene.layout.pages.reduce(0) { $0 + $1.count }
            guard scene.layout.pfns.count <= 4096, pages <= 4096, scene.steps.count <= 200 else {
                skipped += 1
                continue
            }
            for trace in Engine.runAll(scene) {
                runs += 1
                endings.insert(trace.ending.description)
                guard trace.stepsRun <= trace.stepCount, trace.stepCount == scene.steps.count else {
                    Issue.record("round \(round): stepsRun \(trace.stepsRun) of \(trace.stepCount) steps")
                    return
                }
                #expect(trace.expectations.count
                        == scene.expectations.count + (trace.variant?.expectations.count ?? 0))
                let last = trace.actionCount - 1
                let world = trace.world(after: last)
                #expect(world.geometry.frameCount == trace.initial.geometry.frameCount)
                if last >= 0 {
                    #expect(Int(trace.records[last].step) < trace.stepsRun)
                    _ = trace.outcomes(of: last)
                    _ = trace.line(of: last)
                }
                #expect(trace.outcomes(through: last).count == trace.outcomes.count)
            }
        }
    }
    // Both sides exercised: enough mutations still parse and run, and several endings are reached.
    #expect(parsed > 500 && refused > 2_000, "parsed \(parsed), refused \(refused)")
    #expect(runs > 500 && endings.count >= 3, "runs \(runs), endings \(endings)")
    #expect(skipped < parsed / 10, "skipped \(skipped) of \(parsed)")
}
