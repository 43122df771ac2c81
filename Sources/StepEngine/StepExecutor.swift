import MemoryModel
import SceneLanguage

/// Runs one step on a world the way the engine runs every step: its operations split into actions,
/// the invariants checked on what each action touched, the end-of-step double-allocation check, and
/// a stop at the first fatal outcome. The engine records a trace through `observe`; the explorer
/// passes none and keeps only the outcomes.
struct StepExecutor {
    /// Slots touched in the current step, for the end-of-step check.
    private var touched: [Int32] = []
    private var touchedMark: [Bool]
    private(set) var stopped = false

    init(slotCount: Int) {
        touchedMark = Array(repeating: false, count: slotCount)
    }

    /// Starts a new run with the same executor (the explorer runs many).
    mutating func reset() { stopped = false }

    /// What one action did: its writes (the end of step adds to the step's last action) and its
    /// outcomes, including broken invariants.
    typealias Observer = (_ action: PageAction?, _ writes: [Write], _ outcomes: [Outcome]) -> Void

    /// Runs `step` on `world`. `before` sees each action, its operation's line in the step and the
    /// world before it (so a trace can checkpoint); `observe` sees what it did. The end of step is
    /// reported to `observe` with a nil action.
    mutating func run(_ step: Step, on world: inout World,
                      before: ((_ action: PageAction, _ line: Int32, _ world: World) -> Void)? = nil,
                      observe: Observer? = nil) {
        guard !stopped else { return }
        var ranAny = false
        if step.operations.isEmpty {
            before?(.narrate, -1, world)
            ranAny = true
            world.perform(.narrate)
            take(.narrate, &world, observe)
        }
        for (l, line) in step.operations.enumerated() where !stopped {
            let objects = world.kernelObjects
            let config = world.config, geometry = world.geometry
            // Actions are produced lazily; each is performed before the next is asked for.
            line.operation.forEachAction(geometry: geometry, config: config,
                                         kernelIndex: { name in objects.lastIndex { $0.name == name } }) { action in
                before?(action, Int32(l), world)
                ranAny = true
                world.perform(action)
                take(action, &world, observe)
                return !stopped
            }
        }
        endStep(&world, ran: ranAny, observe)
    }

    private mutating func take(_ action: PageAction?, _ world: inout World, _ observe: Observer?) {
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
        var outcomes = o
        if o.contains(where: { $0.severity == .fatal }) { stopped = true }
        for broken in world.brokenInvariants(frames: frames, slots: slots) {
            outcomes.append(Outcome(kind: .invariantBroken, reason: broken))
        }
        observe?(action, w, outcomes)
    }

    /// The double-allocation check at the end of a step that ran at least one action.
    private mutating func endStep(_ world: inout World, ran: Bool, _ observe: Observer?) {
        defer {
            for s in touched { touchedMark[Int(s)] = false }
            touched.removeAll(keepingCapacity: true)
        }
        guard !stopped, ran else { return }
        let geometry = world.geometry
        touched.sort { geometry.gfn(ofSlot: Int($0)) < geometry.gfn(ofSlot: Int($1)) }
        world.endStep(touched: touched)
        take(nil, &world, observe)
    }
}
