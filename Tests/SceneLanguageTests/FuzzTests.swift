import Testing
import TestSupport
@testable import SceneLanguage



@Test func parserSurvivesMutations() {
    var rng = SeededRandom(state: 0x5EED)
    let sources = Samples.all.map { Array($0.utf8) }
    var accepted = 0, refused = 0
    for round in 0..<10_000 {
        let text = SceneMutator.mutate(sources[round % sources.count], &rng)
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
