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
    var stopped = false
    /// Slots touched in the current step, for the end-of-step double-allocation check.
    var touched: [Int32] = []
    var touchedMark: [Bool]

    init(world: World) {
        self.world = world
        touchedMark = Array(repeating: false, count: world.geometry.slotCount)
    }

    mutating func execute(_ steps: [Step]) {
        for (s, step) in steps.enumerated() {
            stepStart.append(records.count)
            guard !stopped else { continue }
            stepsRun = s + 1
            if step.operations.isEmpty { record(.narrate, step: s, line: -1) }
            for (l, line) in step.operations.enumerated() where !stopped {
                let op = line.operation
                let objects = world.kernelObjects
                op.forEachAction(geometry: world.geometry, config: world.config,
                                 kernelIndex: { name in objects.lastIndex { $0.name == name } }) { action in
                    record(action, step: s, line: l)
                    return !stopped
                }
            }
            endStep(s)
        }
    }

    mutating func record(_ action: PageAction, step: Int, line: Int) {
        if records.count % Trace.checkpointInterval == 0 { checkpoints.append(world) }
        let index = records.count
        records.append(ActionRecord(step: Int32(step), line: Int32(line), action: action,
                                    writeStart: Int32(writes.count), outcomeStart: Int32(outcomes.count)))
        world.perform(action)
        take(action: index, step: step)
    }

    /// Stores what the last action wrote and raised, and checks the invariants on what it touched.
    mutating func take(action index: Int, step: Int) {
        let (w, o) = world.drain()
        var frames: [Int32] = []
        var slots: [Int32] = []
        for write in w {
            switch write {
            case .frame(let f, _, _): frames.append(f)
            case .page(let s, _, _):
                slots.append(s)
                if !touchedMark[Int(s)] {
                    touchedMark[Int(s)] = true
                    touched.append(s)
                }
            default: break
            }
        }
        writes.append(contentsOf: w)
        for outcome in o {
            outcomes.append(RaisedOutcome(outcome: outcome, action: index, step: step))
            if outcome.severity == .fatal { stopped = true }
        }
        for broken in world.brokenInvariants(frames: frames, slots: slots) {
            outcomes.append(RaisedOutcome(outcome: Outcome(kind: .invariantBroken, reason: broken), action: index, step: step))
        }
    }

    /// The end of a step: the double-allocation check; its writes belong to the step's last action.
    mutating func endStep(_ step: Int) {
        defer {
            for s in touched { touchedMark[Int(s)] = false }
            touched.removeAll(keepingCapacity: true)
        }
        guard !stopped, !records.isEmpty, stepStart[step] < records.count else { return }
        touched.sort { world.geometry.gfn(ofSlot: Int($0)) < world.geometry.gfn(ofSlot: Int($1)) }
        world.endStep(touched: touched)
        take(action: records.count - 1, step: step)
    }
}
