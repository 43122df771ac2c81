// The markup formats. HTML: one self-contained file with every frame of every variant, for
// handouts or as a fallback on stage when the terminal will not cooperate; nothing is fetched (no
// fonts, scripts or styles from elsewhere), so it works offline and from a USB stick. SVG: one
// frame for slides.
import Screen
import Viewer

/// One scene in an HTML export: its title and the runs of its variants (every action of each is
/// exported, whatever `actions` the `RunFrames` names), with the one shown first.
public struct HTMLScene: Sendable {
    public var title: String
    public var variants: [RunFrames]
    /// Index into `variants` shown when the scene opens.
    public var start: Int

    public init(title: String, variants: [RunFrames], start: Int = 0) {
        self.title = title
        self.variants = variants
        self.start = min(max(0, start), max(0, variants.count - 1))
    }
}

/// `--format html`: every frame pre-rendered as `<pre>` with a CSS class per style, stepped by a
/// small inline script with the viewer's own keys (taken from `KeyMap`, so they cannot drift).
public enum HTMLExport {
    /// The whole document.
    public static func document(title: String, scenes: [HTMLScene], theme: Theme) -> String {
        var classes: [Style: String] = [:]
        var frames = ""
        var data = "["
        var firstFrame = true
        for (si, scene) in scenes.enumerated() {
            if si > 0 { data += "," }
            data += "{\"t\":"
            JSONObject.quote(scene.title, into: &data, scriptSafe: true)
            data += ",\"f\":\(scene.start),\"v\":["
            for (vi, given) in scene.variants.enumerated() {
                if vi > 0 { data += "," }
                // The page steps through every action, whatever subset the caller picked.
                let run = RunFrames(traces: given.traces, variant: given.variant, width: given.width, height: given.height)
                data += variantData(run)
                run.forEach { f in
                    frames += firstFrame ? "<pre class=\"f\">" : "<pre class=\"f\" hidden>"
                    firstFrame = false
                    appendFrame(f.grid, theme: theme, classes: &classes, to: &frames)
                    frames += "</pre>\n"
                }
            }
            data += "]}"
        }
        data += "]"

        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>"
        ExportText.xmlEscaped(title, into: &out)
        out += "</title>\n<style>\n"
        out += css(theme: theme, classes: classes)
        out += "</style>\n<noscript><style>pre.f[hidden]{display:block}</style></noscript>\n</head>\n<body>\n"
        out += "<div id=\"where\"></div>\n<div id=\"screen\">\n"
        out += frames
        out += "</div>\n<div id=\"keys\">"
        ExportText.xmlEscaped(keyHint(decks: scenes.count > 1), into: &out)
        out += "</div>\n<script>\n"
        out += "const D=\(data);\nconst K=\(keyTable());\n"
        out += script
        out += "</script>\n</body>\n</html>\n"
        return out
    }

    /// What the script needs of a run: variant name, action count, steps, where they start and
    /// the step of every action.
    static func variantData(_ run: RunFrames) -> String {
        guard let trace = run.trace else { return "{\"n\":\"\",\"c\":0,\"sn\":0,\"r\":0,\"b\":[],\"st\":[]}" }
        var out = "{\"n\":"
        JSONObject.quote(trace.variant?.name ?? "", into: &out, scriptSafe: true)
        out += ",\"c\":\(trace.actionCount),\"sn\":\(trace.stepCount),\"r\":\(trace.stepsRun),\"b\":["
        out += trace.stepStart.map(String.init).joined(separator: ",")
        out += "],\"st\":["
        out += trace.records.map { String($0.step) }.joined(separator: ",")
        out += "]}"
        return out
    }

    /// A frame's rows: plain runs as bare text, others in a span of their style's class.
    static func appendFrame(_ grid: Grid, theme: Theme, classes: inout [Style: String], to out: inout String) {
        let plain = Style.normal
        for y in 0..<grid.height {
            if y > 0 { out += "\n" }
            for run in ExportText.runs(grid, row: y, width: ExportText.usedWidth(grid, row: y, theme: theme)) {
                if run.style == plain {
                    ExportText.xmlEscaped(run.text, into: &out)
                    continue
                }
                let name: String
                if let known = classes[run.style] {
                    name = known
                } else {
                    name = "c\(run.style.role.rawValue)_\(run.style.attributes.rawValue)"
                    classes[run.style] = name
                }
                out += "<span class=\"\(name)\">"
                ExportText.xmlEscaped(run.text, into: &out)
                out += "</span>"
            }
        }
    }

    /// The page's style sheet: the theme's colours, local monospace fonts only, one rule per style.
    static func css(theme: Theme, classes: [Style: String]) -> String {
        let dim = ResolvedStyle(.dim, theme: theme).shownForeground
        var out = """
            html,body{margin:0;background:\(theme.background.hex);color:\(theme.foreground.hex)}
            body{font-family:"DejaVu Sans Mono",Menlo,Consolas,"Liberation Mono",monospace;font-size:14px;padding:8px}
            pre.f{margin:0;font:inherit;line-height:17px;white-space:pre}
            pre.f[hidden]{display:none}
            #where,#keys{color:\(dim.hex);margin:4px 0;white-space:pre-wrap}

            """
        for (style, name) in classes.sorted(by: { $0.value < $1.value }) {
            let r = ResolvedStyle(style, theme: theme)
            out += ".\(name){color:\(r.shownForeground.hex);background:\(r.bg.hex)"
            if r.bold { out += ";font-weight:bold" }
            if r.underline { out += ";text-decoration:underline" }
            out += "}\n"
        }
        return out
    }

    /// The viewer's bindings the page understands, by the browser's `KeyboardEvent.key` names.
    static func keyTable() -> String {
        var entries: [String] = []
        for b in KeyMap.bindings {
            guard let name = scriptAction(b.action) else { continue }
            for k in b.keys {
                guard let key = browserKey(k) else { continue }
                var quoted = ""
                JSONObject.quote(key, into: &quoted, scriptSafe: true)
                entries.append("\(quoted):\"\(name)\"")
            }
        }
        entries.append("\"}\":\"nextScene\"")
        entries.append("\"{\":\"previousScene\"")
        return "{" + entries.joined(separator: ",") + "}"
    }

    static func scriptAction(_ a: ViewerAction) -> String? {
        switch a {
        case .nextAction: "next"
        case .previousAction: "previous"
        case .nextStep: "nextStep"
        case .previousStep: "previousStep"
        case .first: "first"
        case .last: "last"
        case .nextVariant: "nextVariant"
        case .previousVariant: "previousVariant"
        case .digit: "digit"
        case .enter: "enter"
        default: nil
        }
    }

    static func browserKey(_ k: Key) -> String? {
        switch k {
        case .char(let c): String(c)
        case .left: "ArrowLeft"
        case .right: "ArrowRight"
        case .up: "ArrowUp"
        case .down: "ArrowDown"
        case .pageUp: "PageUp"
        case .pageDown: "PageDown"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .backspace: "Backspace"
        case .escape: "Escape"
        default: nil
        }
    }

    /// The visible key hint, from the same bindings.
    static func keyHint(decks: Bool) -> String {
        var parts: [String] = []
        for b in KeyMap.bindings where scriptAction(b.action) != nil {
            if case .digit = b.action {
                parts.append("0–9 Enter go to step N")
                continue
            }
            guard case .enter = b.action else {
                parts.append(b.keys.map(\.label).joined(separator: " ") + " " + b.help)
                continue
            }
        }
        if decks { parts.append("} { next/previous scene") }
        return "keys: " + parts.joined(separator: " · ")
    }
}

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
