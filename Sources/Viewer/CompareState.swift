import MemoryModel
import SceneLanguage
import StepEngine

/// The right side of an open comparison: a second run of the same scene that steps with the
/// viewer's own (same step, same action within it), its frame rows aligned with the left's.
public struct ComparedRun: Sendable {
    public let side: CompareSide
    public internal(set) var cursor: TraceCursor
    /// Where the two runs first differ, found once when the comparison opens.
    public let comparison: RunComparison
    /// The frame tables' rows, shared by both sides.
    public let rows: AlignedBackingRows
    /// The left's step is not reached on the right: the right shows its ending.
    public internal(set) var stepNotReached = false
    /// Lines the narration needs at this step and width: the most either side's own text needs,
    /// and the step's `say` text (shown once, under both sides); kept with what it was measured for.
    var measure = (step: -1, width: -1, sides: 0, say: 0)

    public var trace: Trace { cursor.trace }
}

extension ViewerState {
    /// True while a comparison is on screen (the tables, not help or a history over it).
    public var isComparing: Bool { compared != nil }

    /// Opens a comparison with `side`, or says in the footer why it cannot be run.
    @discardableResult
    public mutating func openComparison(_ side: CompareSide) -> Bool {
        switch side.run(against: trace) {
        case .success(let right):
            compared = ComparedRun(side: side, cursor: TraceCursor(trace: right, at: -1),
                                   comparison: RunComparison(left: trace, right: right),
                                   rows: AlignedBackingRows(left: trace, right: right))
            selection[TableKind.rmp.rawValue] = 0
            selection[TableKind.directMap.rawValue] = 0
            scroll[TableKind.rmp.rawValue] = 0
            scroll[TableKind.directMap.rawValue] = 0
            syncCompared()
            followActivePage()
            return true
        case .failure(let problem):
            message = "cannot compare with \(side.label): \(problem.message)"
            return false
        }
    }

    /// `c`: opens the comparison with the next variant (the next kernel for a scene without
    /// variants), or closes it.
    mutating func toggleComparison() {
        if compared != nil {
            compared = nil
            resetFrameRows()
            message = "comparison closed"
            return
        }
        openNextComparison(after: nil)
    }

    /// `C`: the right side becomes the next of the candidates (the other variants, then the other
    /// kernels); opens the comparison if none is open.
    mutating func cycleComparison() {
        openNextComparison(after: compared?.side)
    }

    private mutating func openNextComparison(after current: CompareSide?) {
        let all = CompareSide.candidates(for: trace)
        let start = current.flatMap { all.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
        var skipped: [String] = []
        for k in 0..<all.count {
            let side = all[(start + k) % all.count]
            if openComparison(side) {
                message = "comparing with \(side.label)" + (skipped.isEmpty ? "" : " (cannot run " + skipped.joined(separator: ", ") + ")")
                return
            }
            skipped.append(side.label)
        }
        message = "nothing to compare with: " + (skipped.isEmpty ? "no other variant or kernel" : "cannot run " + skipped.joined(separator: ", "))
    }

    /// After the left run changed (variant, kernel, reload): the same right side against it.
    mutating func rebuildComparison() {
        guard let side = compared?.side else { return }
        compared = nil
        if side == .variant(trace.variant?.name ?? "") {
            // The left became the right's variant: compare with the next one instead.
            openNextComparison(after: side)
        } else if !openComparison(side) {
            resetFrameRows()
        }
    }

    private mutating func resetFrameRows() {
        for t in [TableKind.rmp, .directMap] {
            selection[t.rawValue] = 0
            scroll[t.rawValue] = 0
        }
        followActivePage()
    }

    /// Moves the right run to the left's position: the same step, the same action within it (its
    /// last when its step is shorter); a step the right never reached shows the right's ending.
    mutating func syncCompared() {
        guard var c = compared else { return }
        let place = c.trace.samePlace(as: index, in: trace)
        let target = place.index
        c.stepNotReached = !place.reached
        c.cursor.move(to: target)
        if c.measure.step != step || c.measure.width != width {
            let half = max(10, width / 2 - 4)
            c.measure = (step, width, max(Self.runLines(trace, step: step, inner: half), Self.runLines(c.trace, step: step, inner: half)),
                         Self.sayLines(scene, step: step, inner: max(10, width - 4)))
        }
        compared = c
    }

    /// The viewer as the right side would be seen alone: its run at the synced action, with the
    /// left's selection, so the right side is drawn by the same code as the left.
    var rightSide: ViewerState? {
        guard let c = compared else { return nil }
        var v = self
        v.compared = nil
        v.cursor = c.cursor
        return v
    }
}
