import MemoryModel
import SceneLanguage

/// Runs scenes into traces: once per variant, or once with no variants. Deterministic.
public enum Engine {
    /// Every run of the scene, in variant order.
    public static func runAll(_ scene: Scene) -> [Trace] {
        if scene.variants.isEmpty { return [run(scene, variant: nil)] }
        return scene.variants.indices.map { run(scene, variant: $0) }
    }

    /// One run. `variant` indexes `scene.variants`; nil (or out of range) runs the declared config,
    /// with the scene's command-line overrides on top.
    public static func run(_ scene: Scene, variant: Int?) -> Trace {
        let v = variant.flatMap { scene.variants.indices.contains($0) ? scene.variants[$0] : nil }
        let config = scene.config(for: v)
        var run = Run(world: World(layout: scene.layout, config: config))
        run.execute(scene.steps)
        return Trace(scene: scene, variant: v, variantIndex: v == nil ? nil : variant, config: config,
                     records: run.records, writes: run.writes, outcomes: run.outcomes,
                     checkpoints: run.checkpoints, stepStart: run.stepStart, stepsRun: run.stepsRun,
                     kernelNames: run.world.kernelObjects.map(\.name))
    }
}

/// The mutable state of one run while it is being recorded.
private struct Run {
    var world: World
    var records: [ActionRecord] = []
    var writes: [Write] = []
    var outcomes: [RaisedOutcome] = []
    var checkpoints: [World] = []
    var stepStart: [Int] = []
    var stepsRun = 0
    var executor: StepExecutor

    init(world: World) {
        self.world = world
        executor = StepExecutor(slotCount: world.geometry.slotCount)
    }

    mutating func execute(_ steps: [Step]) {
        // Moved out of self while the step runs, so the closures append to uniquely held arrays.
        var records: [ActionRecord] = [], writes: [Write] = [], outcomes: [RaisedOutcome] = []
        var checkpoints: [World] = []
        for (s, step) in steps.enumerated() {
            stepStart.append(records.count)
            guard !executor.stopped else { continue }
            stepsRun = s + 1
            executor.run(step, on: &world, before: { action, line, world in
                if records.count % Trace.checkpointInterval == 0 { checkpoints.append(world) }
                records.append(ActionRecord(step: Int32(s), line: line, action: action,
                                            writeStart: Int32(writes.count), outcomeStart: Int32(outcomes.count)))
            }, observe: { _, w, o in
                writes.append(contentsOf: w)
                for outcome in o {
                    outcomes.append(RaisedOutcome(outcome: outcome, action: records.count - 1, step: s))
                }
            })
        }
        self.records = records
        self.writes = writes
        self.outcomes = outcomes
        self.checkpoints = checkpoints
    }
}
