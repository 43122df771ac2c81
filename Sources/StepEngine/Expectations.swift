import MemoryModel
import SceneLanguage

/// Whether one `expect` line held for a run, and why not.
public struct ExpectationResult: Sendable, Hashable {
    public let expectation: Expectation
    public let passed: Bool
    /// For a failure: what was seen instead.
    public let detail: String

    /// The `expect` line as written, e.g. "expect no host-panic ghcb".
    public var text: String {
        var s = "expect " + (expectation.negated ? "no " : "") + (expectation.quantifier.map { $0.rawValue + " " } ?? "")
            + expectation.outcome.rawValue
        if let p = expectation.pageText { s += " " + p }
        if let n = expectation.atStep { s += " at=\(n)" }
        return s
    }
}

/// Checks the scene's expectations and the variant's against the outcomes of a run.
func checkExpectations(scene: Scene, variant: Variant?, outcomes: [RaisedOutcome], geometry: Geometry) -> [ExpectationResult] {
    // Quantified expectations hold over every interleaving: `Explorer` checks them, not one run.
    (scene.expectations + (variant?.expectations ?? [])).filter { $0.quantifier == nil }.map { e in
        let matching = outcomes.filter { r in
            r.outcome.kind == e.outcome && matches(r, page: e.page, geometry: geometry)
                && (e.atStep == nil || r.step + 1 == e.atStep)
        }
        if e.negated {
            let first = matching.first
            let detail = first.map { "raised at step \($0.step + 1): \($0.outcome.reason)" } ?? ""
            return ExpectationResult(expectation: e, passed: first == nil, detail: detail)
        }
        guard matching.isEmpty else { return ExpectationResult(expectation: e, passed: true, detail: "") }
        let sameKind = outcomes.filter { $0.outcome.kind == e.outcome }
        let detail: String
        if let other = sameKind.first {
            detail = "raised for \(other.outcome.page ?? "no page") at step \(other.step + 1) instead"
        } else {
            detail = "not raised"
        }
        return ExpectationResult(expectation: e, passed: false, detail: detail)
    }
}

private func matches(_ r: RaisedOutcome, page: PageTarget?, geometry: Geometry) -> Bool {
    guard let page else { return true }
    switch page {
    case .guest(let p, let indices):
        guard let g = r.outcome.gfn, p < geometry.layout.pages.count else { return false }
        let first = geometry.layout.pages[p].firstGFN
        return indices.contains(g - first)
    case .kernel(let name):
        return r.outcome.page == name
    }
}
