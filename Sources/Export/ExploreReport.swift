import MemoryModel
import SceneLanguage
import StepEngine

/// `rmpviz explore`'s output: the outcome matrix as text (the way herd7 prints its states), or the
/// JSON object scene-format.md specifies.
public enum ExploreReport {
    /// A cell of the matrix: `always`, `sometimes (k/n)` or `never`.
    public static func cell(_ count: Int, of runs: Int) -> String { Exploration.cell(count, of: runs) }

    /// The matrix, in blocks of outcome columns that fit `width`, then each row's endings.
    public static func text(_ e: Exploration, path: String, width: Int = 100) -> [String] {
        let laneCount = e.scene.lanes.count
        let states = e.rows.reduce(0) { $0 + $1.distinctStates }
        var out = ["explore \(path)" + (e.variant.map { ", variant \($0.name)" } ?? ""),
                   "\(laneCount) lane\(laneCount == 1 ? "" : "s"), \(e.interleavings) interleavings per row, "
                   + "\(states) distinct states" + (e.partial ? " — PARTIAL: stopped before the end" : "")]
        let m = MatrixText(e)
        let columns = m.columns, widths = m.widths
        // Pack the outcome columns into blocks that fit beside the fixed ones.
        let fixed = m.fixedWidth
        var blocks: [[Int]] = [[]]
        var used = fixed
        for (j, w) in widths.enumerated() {
            if used + w + 2 > width, !(blocks.last ?? []).isEmpty {
                blocks.append([])
                used = fixed
            }
            blocks[blocks.count - 1].append(j)
            used += w + 2
        }
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        for block in blocks {
            out.append("")
            var line = zip(m.head, m.fixedWidths).map { pad($0, $1) }.joined(separator: "  ")
            for j in block { line += "  " + pad(columns[j].rawValue, widths[j]) }
            out.append(trimmed(line))
            for (i, r) in e.rows.enumerated() {
                var row = zip(m.fixed[i], m.fixedWidths).map { pad($0, $1) }.joined(separator: "  ")
                if r.invalid != nil {
                    row += "  invalid (below)"
                } else {
                    if columns.isEmpty { row += "  no outcome raised" }
                    for j in block { row += "  " + pad(m.cells[i][j], widths[j]) }
                }
                out.append(trimmed(row))
            }
        }
        let invalid = e.rows.enumerated().filter { $0.element.invalid != nil }
        if !invalid.isEmpty {
            out.append("")
            out.append("invalid rows (the scene cannot run under these settings)")
            for (i, r) in invalid { out += wrapped("  \(i + 1): " + (r.invalid ?? ""), width: width) }
        }
        out.append("")
        out.append("endings (interleavings per ending)")
        for (i, r) in e.rows.enumerated() where r.invalid == nil {
            out += wrapped("  \(i + 1): " + r.endings.map { "\($0.name) \($0.count)" }.joined(separator: " · ")
                           + (r.partial ? " (partial)" : ""), width: width)
        }
        if columns.contains(where: { _ in true }) {
            out.append("")
            out.append("witness of a cell: rmpviz explore \(path) --witness ROW:OUTCOME -o FILE")
        }
        return out.map(Diagnostic.printable)
    }

    /// Words wrapped at `width`, keeping the text's indent; continuation lines indented 3 more.
    static func wrapped(_ text: String, width: Int) -> [String] {
        let indent = String(text.prefix { $0 == " " })
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            if line.count > indent.count, line.count + 1 + word.count > width {
                lines.append(line)
                line = indent + "   " + word
            } else {
                line += (line.count > indent.count ? " " : "") + word
            }
        }
        return lines + [line]
    }

    private static func trimmed(_ s: String) -> String {
        var s = s
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }

    /// The JSON object of scene-format.md, Lanes: `interleavings`, and per row `settings`, `runs`,
    /// `endings`, `outcomes`; an invalid row has `invalid` and `error` instead.
    public static func json(_ e: Exploration) -> String {
        var top = JSONObject()
        top.add("interleavings", e.interleavings)
        let rows = e.rows.map { r -> String in
            var o = JSONObject()
            var settings = JSONObject()
            for s in r.settings { settings.add(s.key.rawValue, s.value) }
            o.addRaw("settings", settings.text)
            if let why = r.invalid {
                o.addRaw("invalid", "true")
                o.add("error", why)
                return o.text
            }
            o.add("runs", r.runs)
            var endings = JSONObject()
            for (name, n) in r.endings { endings.add(name, n) }
            o.addRaw("endings", endings.text)
            var outcomes = JSONObject()
            for (kind, n) in r.outcomes { outcomes.add(kind.rawValue, n) }
            o.addRaw("outcomes", outcomes.text)
            if r.partial { o.addRaw("partial", "true") }
            return o.text
        }
        top.addRaw("rows", "[" + rows.joined(separator: ",") + "]")
        return top.text
    }
}
