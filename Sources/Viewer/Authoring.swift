import Screen
import StepEngine

extension ViewerState {
    /// A reloaded scene (`--watch`): the same variant (by name), step and action where they still
    /// exist, the nearest ones where they do not; the diagnostics of a broken edit are cleared.
    public mutating func reload(traces new: [Trace]) {
        guard !new.isEmpty else { return }
        let variantName = trace.variant?.name
        let v = new.firstIndex { $0.variant?.name == variantName && variantName != nil } ?? min(variant, new.count - 1)
        let t = new[v]
        let target = t.samePlace(as: index, in: trace).index
        traces = new
        variant = v
        cursor = TraceCursor(trace: t, at: target)
        diagnostics = []
        if case .history = mode { mode = .tables }
        rebuildComparison()
        followActivePage()
        message = "reloaded \(t.scene.path)"
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
            matrix = PresenterState.matrix(for: new[i], width: viewer.width, height: viewer.height)
            matrix?.ascii = viewer.ascii
            onCard = wasOnCard
        } else {
            goTo(entry: i)
        }
    }

    public mutating func showDiagnostics(_ lines: [String]) {
        viewer.showDiagnostics(lines)
    }
}

/// `check --fit`: what does not fit in one rendered frame (cut text, tables whose columns are cut),
/// so a speaker can check a talk against the projector's size before going on stage.
public enum FitCheck {
    /// The problems of the frame at the state's current action, each in a few words.
    public static func problems(_ state: ViewerState) -> [String] {
        // The ending banner covers part of the tables by design (o hides it): check what is under it.
        var state = state
        state.bannerHidden = true
        let layout = state.layout
        if layout.tooSmall { return ["the screen is below \(ViewerLayout.minWidth)×\(ViewerLayout.minHeight)"] }
        let grid = state.render()
        guard state.compared != nil else {
            return problems(grid, tables: layout.tables, narration: layout.narration, top: layout.top, side: "")
        }
        // A comparison: each side's tables and narration, then the shared lines.
        let cl = state.compareLayout
        var out: [String] = []
        for (i, side) in cl.sides.enumerated() {
            out += problems(grid, tables: side.tables, narration: side.narration, top: nil, side: i == 0 ? "left " : "right ")
        }
        if let cut = ellipsisText(grid, in: cl.top) { out.append("top line: text cut off: \(cut)") }
        if let cut = ellipsisText(grid, in: cl.divergence) { out.append("divergence line: text cut off: \(cut)") }
        return out
    }

    private static func problems(_ grid: Grid, tables: [Rect], narration: Rect, top: Rect?, side: String) -> [String] {
        var out: [String] = []
        for kind in TableKind.allCases where kind.rawValue < tables.count && tables[kind.rawValue].width > 0 {
            let r = tables[kind.rawValue]
            let header = grid.rowText(r.y + 1)
            let missing = headers(kind).filter { !header.contains($0) }
            if !missing.isEmpty { out.append("\(side)\(kind.title): columns cut (\(missing.joined(separator: ", ")))") }
            if let cut = ellipsisText(grid, in: r.inset(by: 1)) { out.append("\(side)\(kind.title): text cut off: \(cut)") }
        }
        if let cut = ellipsisText(grid, in: narration.inset(by: 1)) { out.append("\(side)narration: text cut off: \(cut)") }
        if let top, let cut = ellipsisText(grid, in: top) { out.append("top line: text cut off: \(cut)") }
        return out
    }

    /// The column headers each table must show whole: the tables' own (RMP fields only in the RMP
    /// table; the frame's owner with the direct map's kernel mappings).
    static func headers(_ kind: TableKind) -> [String] {
        TableSpec.of(kind).headers
    }

    /// The first line in the rect that ends in an ellipsis (the renderer's mark for cut text).
    static func ellipsisText(_ grid: Grid, in r: Rect) -> String? {
        for y in r.rows {
            var line = ""
            for x in r.cols { line += grid[x, y].text }
            if line.contains("…") {
                let words = line.split(separator: "│").map { String($0).trimmingCharacters(in: " ") }.filter { $0.contains("…") }
                return "'" + (words.first ?? line.trimmingCharacters(in: " ")) + "'"
            }
        }
        return nil
    }
}
