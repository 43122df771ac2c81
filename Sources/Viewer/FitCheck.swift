import Screen
import StepEngine

/// `check --fit`: what does not fit in one rendered frame (cut text, tables whose columns are cut),
/// so a speaker can check a talk against the projector's size before going on stage.
public enum FitCheck {
    /// The problems of the frame at the state's current action, each in a few words.
    public static func problems(_ state: ViewerState) -> [String] {
        let layout = ViewerLayout(width: state.width, height: state.height)
        if layout.tooSmall { return ["the screen is below \(ViewerLayout.minWidth)×\(ViewerLayout.minHeight)"] }
        let grid = state.render()
        var out: [String] = []
        for kind in TableKind.allCases where kind.rawValue < layout.tables.count {
            let r = layout.tables[kind.rawValue]
            let header = grid.rowText(r.y + 1)
            let missing = headers(kind).filter { !header.contains($0) }
            if !missing.isEmpty { out.append("\(kind.title): columns cut (\(missing.joined(separator: ", ")))") }
            if let cut = ellipsisText(grid, in: r.inset(by: 1)) { out.append("\(kind.title): text cut off: \(cut)") }
        }
        if let cut = ellipsisText(grid, in: layout.narration.inset(by: 1)) { out.append("narration: text cut off: \(cut)") }
        if let cut = ellipsisText(grid, in: layout.top) { out.append("top line: text cut off: \(cut)") }
        return out
    }

    static func headers(_ kind: TableKind) -> [String] {
        switch kind {
        case .rmp: ["pfn", "A", "ASID", "gfn", "V", "owner"]
        case .directMap: ["pfn", "P", "kernel mappings"]
        case .sharedFD, .privateFD: ["gfn", "frame", "page"]
        }
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
