import MemoryModel
import SceneLanguage

/// An outcome as the explorer keeps it: what and where, without the prose.
public struct OutcomeTag: Hashable, Sendable {
    public let kind: OutcomeKind
    public let gfn: Int?
    /// The page's name: for kernel objects, which have no gfn.
    public let page: String?

    /// Whether an `expect` page argument matches this outcome (any of the argument's pages).
    public func matches(_ target: PageTarget?, layout: Layout) -> Bool {
        guard let target else { return true }
        switch target {
        case .guest(let p, let indices):
            guard let g = gfn, layout.pages.indices.contains(p) else { return false }
            return indices.contains(g - layout.pages[p].firstGFN)
        case .kernel(let name):
            return page == name
        }
    }
}

/// How a family of interleavings ends: its ending and every outcome it raised at least once.
public struct Signature: Hashable, Sendable {
    /// nil: `completed`.
    public let ending: OutcomeKind?
    public let raised: Set<OutcomeTag>
    public var endingName: String { ending?.rawValue ?? "completed" }
}

/// The interleavings from one point that end with one signature: how many, and the shortest (in
/// steps run), first in lane order.
public struct SignatureStats: Sendable {
    public var count: Int
    public var steps: Int
    /// The lane chosen at each step, from that point on.
    public var path: [UInt8]

    /// True when `self` is the better witness: fewer steps run, then first in lane order.
    func beats(_ other: SignatureStats) -> Bool {
        steps != other.steps ? steps < other.steps : path.lexicographicallyPrecedes(other.path)
    }
}

/// Every interleaving of a scene's lanes under one config, counted through a graph of merged states
/// (scene-format.md, Lanes): prefixes are run once, depth first, on copy-on-write worlds, and two
/// prefixes that reach the same world with the same outcomes so far share their futures.
public final class Explorer {
    public let scene: Scene
    public let config: Config
    /// Each lane's steps, in file order; lanes in order of first appearance.
    public let lanes: [[Int]]
    private var executor: StepExecutor
    private var memo: [NodeKey: [Signature: SignatureStats]] = [:]
    private let shouldStop: () -> Bool
    private let progress: (Int) -> Void
    /// Set when `shouldStop` ended the exploration early: the counts cover only what was finished.
    public private(set) var partial = false

    private struct NodeKey: Hashable {
        let positions: [UInt16]
        let world: World.StateKey
        let raised: Set<OutcomeTag>
        let ending: OutcomeKind?
    }

    public init(scene: Scene, config: Config, shouldStop: @escaping () -> Bool = { false },
                progress: @escaping (Int) -> Void = { _ in }) {
        self.scene = scene
        self.config = config
        lanes = scene.lanes.map(\.steps)
        executor = StepExecutor(slotCount: scene.layout.pages.reduce(0) { $0 + $1.count })
        self.shouldStop = shouldStop
        self.progress = progress
    }

    /// Distinct states seen: nodes of the merged graph.
    public var distinctStates: Int { memo.count }

    /// The number of interleavings: the multinomial of the lanes' lengths, or nil past Int's range.
    public static func interleavings(_ counts: [Int]) -> Int? {
        var total = 1, n = 0
        for c in counts {
            for k in 0..<c {
                n += 1
                // total *= n / (k + 1), exactly: C(n, k+1) stays an integer at each step.
                let (m, overflow) = total.multipliedReportingOverflow(by: n)
                guard !overflow else { return nil }
                total = m / (k + 1)
            }
        }
        return total
    }

    /// Runs every interleaving; the result maps each signature to its interleavings.
    public func explore() -> [Signature: SignatureStats] {
        let world = World(layout: scene.layout, config: config)
        return node(positions: lanes.map { _ in 0 }, world: world, raised: [], ending: nil, stopped: false)
    }

    private func node(positions: [UInt16], world: World, raised: Set<OutcomeTag>, ending: OutcomeKind?,
                      stopped: Bool) -> [Signature: SignatureStats] {
        let remaining = zip(lanes, positions).map { $0.count - Int($1) }
        if stopped || remaining.allSatisfy({ $0 == 0 }) {
            // The run is over: every order of the steps left is an interleaving with this ending.
            var path: [UInt8] = []
            for (lane, left) in remaining.enumerated() { path += Array(repeating: UInt8(lane), count: left) }
            let count = Explorer.interleavings(remaining) ?? Int.max
            return [Signature(ending: ending, raised: raised): SignatureStats(count: count, steps: 0, path: path)]
        }
        let key = NodeKey(positions: positions, world: world.stateKey, raised: raised, ending: ending)
        if let known = memo[key] { return known }
        var result: [Signature: SignatureStats] = [:]
        for lane in lanes.indices where remaining[lane] > 0 {
            if shouldStop() {
                partial = true
                return result
            }
            var w = world
            var r = raised
            var e = ending
            executor.reset()
            let step = scene.steps[lanes[lane][Int(positions[lane])]]
            executor.run(step, on: &w, observe: { _, _, outcomes in
                for o in outcomes {
                    r.insert(OutcomeTag(kind: o.kind, gfn: o.gfn, page: o.gfn == nil ? o.page : nil))
                    // The ending: the first fatal outcome, else the first of the most severe.
                    if e.map({ o.severity > $0.severity }) ?? true { e = o.kind }
                }
            })
            var next = positions
            next[lane] += 1
            let child = node(positions: next, world: w, raised: r, ending: e, stopped: executor.stopped)
            for (signature, stats) in child {
                let mine = SignatureStats(count: stats.count, steps: stats.steps + 1, path: [UInt8(lane)] + stats.path)
                if var have = result[signature] {
                    let (sum, overflow) = have.count.addingReportingOverflow(mine.count)
                    have.count = overflow ? Int.max : sum
                    if mine.beats(have) {
                        have.steps = mine.steps
                        have.path = mine.path
                    }
                    result[signature] = have
                } else {
                    result[signature] = mine
                }
            }
        }
        if !partial {
            memo[key] = result
            if memo.count % 4096 == 0 { progress(memo.count) }
        }
        return result
    }
}
