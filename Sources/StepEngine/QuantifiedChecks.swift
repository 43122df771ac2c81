import MemoryModel
import SceneLanguage

/// Whether one `expect always|sometimes|never` line held over every interleaving of a run.
public struct QuantifiedResult: Sendable {
    public let expectation: Expectation
    public let variant: Variant?
    public let passed: Bool
    /// Interleavings that raise the outcome (on the page, if one is named), and all of them.
    public let raising: Int
    public let runs: Int
    /// For a failure with a counterexample: its step titles in order, shortest first.
    public let witness: [String]?

    /// The line as written.
    public var text: String {
        "expect \(expectation.quantifier?.rawValue ?? "") \(expectation.outcome.rawValue)"
            + (expectation.pageText.map { " " + $0 } ?? "")
    }

    /// Why it failed, in a line: the counts, and the interleaving that breaks it.
    public var detail: String {
        guard !passed, let q = expectation.quantifier else { return "" }
        let counts = "raised in \(raising) of \(runs) interleavings"
        switch q {
        case .sometimes: return counts
        case .always, .never:
            let what = q == .always ? "one that does not raise it" : "one that raises it"
            return counts + (witness.map { "; \(what): " + $0.map { "\"\($0)\"" }.joined(separator: " → ") } ?? "")
        }
    }
}

extension Exploration {
    /// Checks every quantified expectation of the scene, for every variant, by exploring it.
    public static func checkQuantified(_ scene: Scene) -> [QuantifiedResult] {
        let quantifiedInScene = scene.expectations.filter { $0.quantifier != nil }
        var out: [QuantifiedResult] = []
        for (i, v) in scene.runs.enumerated() {
            let mine = quantifiedInScene + (v?.expectations ?? []).filter { $0.quantifier != nil }
            guard !mine.isEmpty else { continue }
            let exploration = Exploration.run(scene, variant: v == nil ? nil : i, over: [])
            guard let row = exploration.rows.first, row.invalid == nil else { continue }
            for e in mine {
                let raises: (Signature) -> Bool = { s in
                    s.raised.contains { $0.kind == e.outcome && $0.matches(e.page, layout: scene.layout) }
                }
                let (n, raisingWitness) = row.count(where: raises)
                let runs = row.runs
                var passed = false
                var witness: [Int]?
                switch e.quantifier {
                case .always?:
                    passed = n == runs
                    witness = passed ? nil : row.count { !raises($0) }.witness
                case .sometimes?: passed = n > 0
                case .never?:
                    passed = n == 0
                    witness = passed ? nil : raisingWitness
                case nil: continue
                }
                out.append(QuantifiedResult(expectation: e, variant: v, passed: passed, raising: n, runs: runs,
                                            witness: witness.map { $0.map { scene.steps[$0].title } }))
            }
        }
        return out
    }
}
