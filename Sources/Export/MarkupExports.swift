// The markup formats. SVG (here): one frame for slides. HTML (HTMLExport.swift): one
// self-contained page with every frame of every variant.
import Screen
import Viewer

// MARK: - SVG: one frame as a grid of fixed-size cells, so columns line up whatever monospace
// font the viewer substitutes.

/// `--format svg`: one frame as a standalone SVG document in the theme's colours.
///
/// A background rect, a rect per run whose background differs from the theme's, and a `<text>`
/// per run with visible characters, stretched to exactly its cells' width (`textLength`) so that
/// columns align even when the font's advance is not 8.4 px.
public enum SVGExport {
    /// Cell size in tenths of a pixel (8.4 × 17 px): integers keep the numbers exact and short.
    static let cellWidthTenths = 84
    static let cellHeightTenths = 170
    /// Font size and baseline offset within a cell, in tenths of a pixel.
    static let fontSizeTenths = 140
    static let baselineTenths = 125

    /// The SVG for `grid`; `title` becomes the document's `<title>` (for screen readers and tooltips).
    public static func document(_ grid: Grid, theme: Theme, title: String) -> String {
        let w = px(grid.width * cellWidthTenths), h = px(grid.height * cellHeightTenths)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\""
        out += " font-family=\"DejaVu Sans Mono, Menlo, Consolas, Liberation Mono, monospace\""
        out += " font-size=\"\(px(fontSizeTenths))\" xml:space=\"preserve\">\n"
        out += "<title>"
        ExportText.xmlEscaped(title, into: &out)
        out += "</title>\n"
        out += "<rect width=\"\(w)\" height=\"\(h)\" fill=\"\(theme.background.hex)\"/>\n"
        var resolved: [Style: ResolvedStyle] = [:]
        func look(_ s: Style) -> ResolvedStyle {
            if let r = resolved[s] { return r }
            let r = ResolvedStyle(s, theme: theme)
            resolved[s] = r
            return r
        }
        var texts = ""
        out += "<g shape-rendering=\"crispEdges\">\n"
        for y in 0..<grid.height {
            let used = ExportText.usedWidth(grid, row: y, theme: theme)
            let top = px(y * cellHeightTenths), baseline = px(y * cellHeightTenths + baselineTenths)
            for run in ExportText.runs(grid, row: y, width: used) {
                let r = look(run.style)
                let x = px(run.x * cellWidthTenths), width = px(run.width * cellWidthTenths)
                if r.bg != theme.background {
                    out += "<rect x=\"\(x)\" y=\"\(top)\" width=\"\(width)\" height=\"\(px(cellHeightTenths))\" fill=\"\(r.bg.hex)\"/>\n"
                }
                let blank = run.text.allSatisfy { $0 == " " }
                guard !blank || r.underline else { continue }
                texts += "<text x=\"\(x)\" y=\"\(baseline)\" textLength=\"\(width)\" lengthAdjust=\"spacingAndGlyphs\""
                texts += " fill=\"\(r.shownForeground.hex)\""
                if r.bold { texts += " font-weight=\"bold\"" }
                if r.underline { texts += " text-decoration=\"underline\"" }
                texts += ">"
                ExportText.xmlEscaped(run.text, into: &texts)
                texts += "</text>\n"
            }
        }
        out += "</g>\n"
        out += texts
        out += "</svg>\n"
        return out
    }

    /// Tenths of a pixel as a decimal: 84 → "8.4", 170 → "17".
    static func px(_ tenths: Int) -> String {
        tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
    }
}
