// The engine half of the fuzz test: mutated built-in scenes that still parse must run without a
// trap, and their traces must hold together.
import BuiltinScenes
import MemoryModel
import SceneLanguage
import StepEngine
import Testing
import TestSupport




@Test func engineSurvivesMutatedBuiltinScenes() {
    let sources = BuiltinScenes.all.filter { !$0.isDeck }.map(\.bytes)
    #expect(sources.count >= 6)
    var rng = SeededRandom(state: 0xE261_5EED)
    var parsed = 0, refused = 0, runs = 0, skipped = 0
    var endings: Set<String> = []
    for round in 0..<10_000 {
        let text = SceneMutator.mutate(sources[round % sources.count], &rng)
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
                let plain = (scene.expectations + (trace.variant?.expectations ?? [])).filter { $0.quantifier == nil }
                #expect(trace.expectations.count == plain.count)
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
