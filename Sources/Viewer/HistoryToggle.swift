import StepEngine

extension ViewerState {
    /// The page history's "all / touched" switch: every action of the run, or (the default) only the
    /// actions that touched the page or frame. The history keeps the current action in view.
    public mutating func toggleHistoryAll() {
        historyShowsAll.toggle()
        guard case .history(let target, _) = mode else { return }
        mode = .history(target, scroll: historyScroll(for: target))
    }

    /// The scroll that shows the current action (or the nearest listed before it) a few rows from the
    /// top: what the history should open at. In the "touched" list, scroll counts listed rows.
    public func historyScroll(for target: HistoryTarget) -> Int {
        guard !historyShowsAll else { return max(0, index - 3) }
        let rows = trace.actions(touching: target)
        let position = rows.lastIndex { $0 <= index } ?? 0
        return max(0, position - 3)
    }
}
