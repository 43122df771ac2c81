import StepEngine

extension ViewerState {
    /// A reloaded scene (`--watch`): the same variant (by name), step and action where they still
    /// exist, the nearest ones where they do not; the diagnostics of a broken edit are cleared.
    public mutating func reload(traces new: [Trace]) {
        guard !new.isEmpty else { return }
        let variantName = trace.variant?.name
        let step = self.step
        let offset = index - trace.actions(ofStep: step).lowerBound
        let v = new.firstIndex { $0.variant?.name == variantName && variantName != nil } ?? min(variant, new.count - 1)
        let t = new[v]
        let range = t.actions(ofStep: min(step, max(0, t.stepCount - 1)))
        let target = range.isEmpty ? t.actionCount - 1 : min(range.lowerBound + max(0, offset), range.upperBound - 1)
        traces = new
        variant = v
        cursor = TraceCursor(trace: t, at: target)
        diagnostics = []
        if case .history = mode { mode = .tables }
        followActivePage()
    }

    /// A broken edit: keep the last good version and show why the new one was refused.
    public mutating func showDiagnostics(_ lines: [String]) {
        diagnostics = lines
    }
}

extension PresenterState {
    /// Reloads every scene of the talk, staying on the same scene and position.
    public mutating func reload(entries new: [PresentEntry]) {
        guard !new.isEmpty else { return }
        let wasOnCard = onCard
        entries = new
        let i = min(current, new.count - 1)
        if i == current {
            var v = viewer
            v.reload(traces: new[i].traces)
            viewer = v
            onCard = wasOnCard
        } else {
            goTo(entry: i)
        }
    }

    public mutating func showDiagnostics(_ lines: [String]) {
        viewer.showDiagnostics(lines)
    }
}
