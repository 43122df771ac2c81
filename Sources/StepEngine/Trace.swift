import MemoryModel
import SceneLanguage

/// One page-level action of a run: where it comes from in the scene and where its effects are stored.
public struct ActionRecord: Sendable {
    /// 0-based step index.
    public let step: Int32
    /// Index of the operation in its step; -1 for a step without operations.
    public let line: Int32
    public let action: PageAction
    let writeStart: Int32
    let outcomeStart: Int32
}

/// An outcome together with the action and step that raised it.
public struct RaisedOutcome: Sendable, Hashable {
    public let outcome: Outcome
    public let action: Int
    public let step: Int
}

/// How a run ended: its fatal outcome, else its most severe one, else `completed`.
public enum Ending: Sendable, Hashable, CustomStringConvertible {
    case completed
    case outcome(RaisedOutcome)

    public var description: String {
        switch self {
        case .completed: "completed"
        case .outcome(let r): r.outcome.kind.rawValue
        }
    }

    public var raised: RaisedOutcome? {
        if case .outcome(let r) = self { return r }
        return nil
    }
}

/// A finished run of one scene variant: every action with the state after it (memory-model.md:
/// replaying gives the same actions, frames and outcomes). Moving to any action restores the nearest
/// checkpoint and replays at most `checkpointInterval - 1` actions' writes, never the whole run.
public final class Trace: Sendable {
    public let scene: Scene
    /// The variant this run used, nil for a scene without variants.
    public let variant: Variant?
    public let variantIndex: Int?
    public let config: Config
    public let records: [ActionRecord]
    let writes: [Write]
    public let outcomes: [RaisedOutcome]
    /// checkpoints[k] is the world after action k * interval - 1 (checkpoints[0] is the initial state).
    let checkpoints: [World]
    static let checkpointInterval = 1024
    /// First action of each step; a step that was not reached starts at `records.count`.
    public let stepStart: [Int]
    /// Steps that ran, counting the one with a fatal outcome.
    public let stepsRun: Int
    public let ending: Ending
    public let expectations: [ExpectationResult]
    /// Names of the kernel objects `host alloc` made, in order (they are only ever appended).
    public let kernelNames: [String]
    /// Per outcome k, the index of the worst among outcomes 0...k (the ending rule's choice): the
    /// top line's "worst so far" at any action without walking the outcomes before it.
    private let worstSoFar: [Int32]

    init(scene: Scene, variant: Variant?, variantIndex: Int?, config: Config, records: [ActionRecord],
         writes: [Write], outcomes: [RaisedOutcome], checkpoints: [World], stepStart: [Int], stepsRun: Int, kernelNames: [String]) {
        self.kernelNames = kernelNames
        self.scene = scene
        self.variant = variant
        self.variantIndex = variantIndex
        self.config = config
        self.records = records
        self.writes = writes
        self.outcomes = outcomes
        self.checkpoints = checkpoints
        self.stepStart = stepStart
        self.stepsRun = stepsRun
        let ending = Trace.worst(of: outcomes)
        self.ending = ending
        var best: [Int32] = []
        best.reserveCapacity(outcomes.count)
        for (k, o) in outcomes.enumerated() {
            // The same rule as `worst(of:)`: a strictly worse severity replaces the one kept.
            if let w = best.last, o.outcome.severity <= outcomes[Int(w)].outcome.severity { best.append(w) } else { best.append(Int32(k)) }
        }
        worstSoFar = best
        expectations = checkExpectations(scene: scene, variant: variant, outcomes: outcomes, geometry: checkpoints[0].geometry)
    }

    public var actionCount: Int { records.count }
    public var stepCount: Int { scene.steps.count }
    public var initial: World { checkpoints[0] }
    public var passed: Bool { expectations.allSatisfy(\.passed) }

    /// The step's actions; empty for a step that was not reached.
    public func actions(ofStep s: Int) -> Range<Int> {
        guard s >= 0, s < stepStart.count else { return records.count..<records.count }
        let end = s + 1 < stepStart.count ? stepStart[s + 1] : records.count
        return stepStart[s]..<max(stepStart[s], end)
    }

    public func isReached(step s: Int) -> Bool { s < stepsRun }

    public func writes(of i: Int) -> ArraySlice<Write> {
        let start = Int(records[i].writeStart)
        let end = i + 1 < records.count ? Int(records[i + 1].writeStart) : writes.count
        return writes[start..<end]
    }

    public func outcomes(of i: Int) -> ArraySlice<RaisedOutcome> {
        let start = Int(records[i].outcomeStart)
        let end = i + 1 < records.count ? Int(records[i + 1].outcomeStart) : outcomes.count
        return outcomes[start..<end]
    }

    /// Outcomes raised up to and including action i.
    public func outcomes(through i: Int) -> ArraySlice<RaisedOutcome> {
        guard i >= 0, !records.isEmpty else { return outcomes[0..<0] }
        let idx = min(i, records.count - 1)
        let end = idx + 1 < records.count ? Int(records[idx + 1].outcomeStart) : outcomes.count
        return outcomes[0..<end]
    }

    /// The ending rule applied to the outcomes raised up to and including action i.
    public func worst(through i: Int) -> Ending {
        let n = outcomes(through: i).count
        return n == 0 ? .completed : .outcome(outcomes[Int(worstSoFar[n - 1])])
    }

    /// The world after action i (i = -1: the initial state).
    public func world(after i: Int) -> World {
        let i = max(-1, min(i, records.count - 1))
        let k = min((i + 1) / Trace.checkpointInterval, checkpoints.count - 1)
        var w = checkpoints[k]
        var a = k * Trace.checkpointInterval
        while a <= i {
            for write in writes(of: a) { w.apply(write, forward: true) }
            a += 1
        }
        return w
    }

    /// The operation line an action came from.
    public func line(of i: Int) -> OperationLine? {
        let r = records[i]
        guard r.line >= 0 else { return nil }
        return scene.steps[Int(r.step)].operations[Int(r.line)]
    }

    /// The ending rule applied to some outcomes: the first fatal, else the first of the worst severity.
    public static func worst(of outcomes: some Collection<RaisedOutcome>) -> Ending {
        var worst: RaisedOutcome?
        for o in outcomes where worst == nil || o.outcome.severity > worst?.outcome.severity ?? .info {
            worst = o
        }
        return worst.map { .outcome($0) } ?? .completed
    }
}

/// A position in a trace with its world, moved by applying writes forward or backward.
public struct TraceCursor: Sendable {
    public let trace: Trace
    public private(set) var index: Int
    public private(set) var world: World

    public init(trace: Trace, at index: Int = 0) {
        self.trace = trace
        let i = max(-1, min(index, trace.actionCount - 1))
        self.index = i
        world = trace.world(after: i)
    }

    /// Moves to action `target`: a short distance by replaying writes, a long one from a checkpoint.
    public mutating func move(to target: Int) {
        let t = max(-1, min(target, trace.actionCount - 1))
        if abs(t - index) >= Trace.checkpointInterval / 2 {
            world = trace.world(after: t)
            index = t
            return
        }
        while index < t {
            index += 1
            for w in trace.writes(of: index) { world.apply(w, forward: true) }
        }
        while index > t {
            for w in trace.writes(of: index).reversed() { world.apply(w, forward: false) }
            index -= 1
        }
    }
}

extension Trace {
    /// The same place in this run as action `index` of `other` (a run of the same scene): the same
    /// step and the same action within it, the step's last when this run's step is shorter. A step
    /// this run never reached gives its last action and `reached` false. The variant switch, the
    /// kernel key, a reload and a comparison all move between runs through this one function.
    public func samePlace(as index: Int, in other: Trace) -> (index: Int, reached: Bool) {
        guard index >= 0, index < other.actionCount else { return (min(index, actionCount - 1), true) }
        let step = Int(other.records[index].step)
        let offset = index - other.actions(ofStep: step).lowerBound
        let range = actions(ofStep: min(step, max(0, stepCount - 1)))
        guard !range.isEmpty, isReached(step: step) else { return (actionCount - 1, false) }
        return (min(range.lowerBound + max(0, offset), range.upperBound - 1), true)
    }
}
