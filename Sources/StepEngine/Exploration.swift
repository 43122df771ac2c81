import MemoryModel
import SceneLanguage

/// One row of an exploration: a combination of the `--over` settings and what every interleaving
/// did under it, or why the scene cannot run under it.
public struct ExplorationRow: Sendable {
    /// The `--over` keys and their values for this row.
    public let settings: [(key: SettingKey, value: String)]
    /// Set when the combination makes the scene invalid: the first error, with its line.
    public let invalid: String?
    public let config: Config?
    public let signatures: [Signature: SignatureStats]
    public let distinctStates: Int
    public let partial: Bool
    let lanes: [[Int]]

    /// Interleavings counted (all of them unless `partial`).
    public var runs: Int { signatures.values.reduce(0) { $0 &+ $1.count } }

    /// Interleavings per ending, most severe first, `completed` last.
    public var endings: [(name: String, count: Int)] {
        var by: [OutcomeKind?: Int] = [:]
        for (s, stats) in signatures { by[s.ending, default: 0] += stats.count }
        return by.sorted { Exploration.order($0.key, $1.key) }.map { ($0.key?.rawValue ?? "completed", $0.value) }
    }

    /// Interleavings that raise each outcome at least once; only outcomes raised at all.
    public var outcomes: [(kind: OutcomeKind, count: Int)] {
        var by: [OutcomeKind: Int] = [:]
        for (s, stats) in signatures {
            for kind in Set(s.raised.map(\.kind)) { by[kind, default: 0] += stats.count }
        }
        return by.sorted { Exploration.order($0.key, $1.key) }.map { ($0.key, $0.value) }
    }

    /// Interleavings whose signature satisfies `test`, and the witness among them: fewest steps
    /// run, then first in lane order (as step indices).
    public func count(where test: (Signature) -> Bool) -> (count: Int, witness: [Int]?) {
        var n = 0
        var best: SignatureStats?
        for (s, stats) in signatures where test(s) {
            n += stats.count
            if best.map({ stats.beats($0) }) ?? true { best = stats }
        }
        return (n, best.map { steps(of: $0.path) })
    }

    /// The witness of an outcome: the interleaving raising it with the fewest steps run.
    public func witness(raising kind: OutcomeKind) -> [Int]? {
        count { s in s.raised.contains { $0.kind == kind } }.witness
    }

    func steps(of path: [UInt8]) -> [Int] {
        var next = lanes.map { _ in 0 }
        return path.map { lane in
            let l = Int(lane)
            defer { next[l] += 1 }
            return lanes[l][next[l]]
        }
    }
}

/// Every interleaving of a scene's lanes under every combination of some settings (`rmpviz explore`).
public struct Exploration: Sendable {
    public let scene: Scene
    public let variant: Variant?
    public let over: [SettingKey]
    public let interleavings: Int
    public let rows: [ExplorationRow]
    public var partial: Bool { rows.contains(where: \.partial) }

    /// Severity first, then the order of memory-model.md's outcome table; `completed` last.
    static func order(_ a: OutcomeKind?, _ b: OutcomeKind?) -> Bool {
        guard let a else { return false }
        guard let b else { return true }
        if a.severity != b.severity { return a.severity > b.severity }
        let all = OutcomeKind.allCases
        return (all.firstIndex(of: a) ?? 0) < (all.firstIndex(of: b) ?? 0)
    }

    /// A cell of the matrix: `always`, `sometimes (k/n)` or `never`.
    public static func cell(_ count: Int, of runs: Int) -> String {
        count == 0 ? "never" : count == runs ? "always" : "sometimes (\(count)/\(runs))"
    }

    /// The outcomes that get a column in the matrix: those raised in any row, most severe first.
    public var columns: [OutcomeKind] {
        let raised = Set(rows.flatMap { $0.outcomes.map(\.kind) })
        return OutcomeKind.allCases.filter(raised.contains).sorted { Exploration.order($0, $1) }
    }

    /// Why an `--over` key cannot be explored, or nil.
    public static func problem(over key: SettingKey) -> String? {
        key.values.isEmpty ? "'\(key.rawValue)' takes numbers, not a list of values to explore over" : nil
    }

    /// Explores the scene's variant (nil: the scene's own config) under each combination of the
    /// `over` keys' values, in memory-model.md's order, the first key varying slowest.
    public static func run(_ scene: Scene, variant: Int?, over: [SettingKey],
                           shouldStop: @escaping () -> Bool = { false },
                           progress: @escaping (_ row: Int, _ states: Int) -> Void = { _, _ in }) -> Exploration {
        let v = variant.flatMap { scene.variants.indices.contains($0) ? scene.variants[$0] : nil }
        var combos: [[(key: SettingKey, value: String)]] = [[]]
        for key in over { combos = combos.flatMap { c in key.values.map { c + [(key, $0)] } } }
        // Only the explored variant decides whether a combination is valid.
        var single = scene
        single.variants = v.map { [$0] } ?? []
        var rows: [ExplorationRow] = []
        let lanes = scene.lanes.map(\.steps)
        for (i, combo) in combos.enumerated() {
            let settings = combo.map { Setting(key: $0.key, value: $0.value, location: SourceLocation(line: 0, column: 0)) }
            let origin = combo.isEmpty ? "" : "with " + combo.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: " ") + ": "
            switch single.applying(scene.overrides + settings, origin: origin) {
            case .failure(let problems):
                let first = problems.first.map { "line \($0.location.line): \($0.message)" } ?? "invalid"
                rows.append(ExplorationRow(settings: combo, invalid: first, config: nil, signatures: [:], distinctStates: 0,
                                           partial: false, lanes: lanes))
            case .success(let s):
                let config = s.config(for: v)
                let explorer = Explorer(scene: s, config: config, shouldStop: shouldStop, progress: { progress(i, $0) })
                let signatures = shouldStop() ? [:] : explorer.explore()
                rows.append(ExplorationRow(settings: combo, invalid: nil, config: config, signatures: signatures,
                                           distinctStates: explorer.distinctStates, partial: explorer.partial || shouldStop(),
                                           lanes: lanes))
            }
        }
        return Exploration(scene: scene, variant: v, over: over,
                           interleavings: Explorer.interleavings(lanes.map(\.count)) ?? Int.max, rows: rows)
    }

    /// The witness of a cell as a plain scene: its steps in the witness's order, the row's settings
    /// as `config`, and an `expect` for the outcome. `check` passes it.
    public func witness(row: Int, outcome: OutcomeKind) -> Scene? {
        guard rows.indices.contains(row), let config = rows[row].config,
              let order = rows[row].witness(raising: outcome) else { return nil }
        var s = scene
        s.title = "Witness for \(outcome.rawValue): \(scene.title)"
        s.about = ["Written by rmpviz explore: the interleaving that raises \(outcome.rawValue) with the fewest steps run"
                   + (variant.map { ", variant \($0.name)" } ?? "") + "."]
        let here = SourceLocation(line: 0, column: 0)
        s.config = [Setting(key: .kernel, value: config.kernel.rawValue, location: here)]
            + SettingKey.allCases.compactMap { k in config.explicit[k].map { Setting(key: k, value: $0, location: here) } }
        s.steps = order.map { var step = scene.steps[$0]; step.lane = Step.defaultLane; return step }
        s.expectations = [Expectation(negated: false, outcome: outcome, location: here)]
        s.variants = []
        s.overrides = []
        return s
    }

    /// `witness(row:outcome:)` as scene text.
    public func witnessScene(row: Int, outcome: OutcomeKind) -> String? {
        witness(row: row, outcome: outcome).map(formatScene)
    }
}
