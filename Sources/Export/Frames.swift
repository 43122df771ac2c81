// Every export reads the grids `ViewerState.render()` produces — the very grid the terminal shows —
// so there is one layout and no exporter can drift from the viewer. Frames are rendered one at a
// time and handed to the exporter, because holding a thousand 160×45 grids would cost hundreds of MB.
import Screen
import StepEngine
import Viewer

/// One exported frame: the viewer's grid after an action, and where that action sits in its run.
public struct ExportFrame: Sendable {
    /// What the terminal shows after the action.
    public let grid: Grid
    /// 0-based action index in the run.
    public let action: Int
    /// 0-based step of the action.
    public let step: Int
    /// The step's title, for asciicast markers.
    public let stepTitle: String
    /// True when the action is the first of its step.
    public let startsStep: Bool
}

/// The frames of one run (one variant of one scene) as the viewer shows them, rendered on demand.
public struct RunFrames: Sendable {
    /// Every variant's run of the scene; the viewer state needs them all.
    public let traces: [Trace]
    /// Which of `traces` is exported.
    public let variant: Int
    public let width: Int
    public let height: Int
    /// The actions to render, in order (0-based).
    public let actions: [Int]
    /// Frames of a comparison: this run on the left, this side on the right.
    public let compare: CompareSide?

    /// The frames after `actions` (default: every action) of `traces[variant]`, side by side with
    /// `compare` when given.
    public init(traces: [Trace], variant: Int = 0, width: Int, height: Int, actions: [Int]? = nil, compare: CompareSide? = nil) {
        self.traces = traces
        self.compare = compare
        self.variant = traces.isEmpty ? 0 : min(max(0, variant), traces.count - 1)
        self.width = width
        self.height = height
        let count = traces.isEmpty ? 0 : traces[self.variant].actionCount
        self.actions = actions ?? Array(0..<count)
    }

    /// The run whose frames these are; nil only for an empty list of traces.
    public var trace: Trace? { traces.isEmpty ? nil : traces[variant] }

    /// The last action of step `s` (0-based), or nil when the run did not reach it.
    public static func lastAction(ofStep s: Int, in trace: Trace) -> Int? {
        let range = trace.actions(ofStep: s)
        return range.isEmpty ? nil : range.upperBound - 1
    }

    /// Renders each frame in order and hands it to `body`. The state moves forward from one frame
    /// to the next, as if → were pressed in the viewer, so selections and scrolls are the viewer's.
    public func forEach(_ body: (ExportFrame) -> Void) {
        guard var state = ViewerState(traces: traces, variant: variant, width: width, height: height) else { return }
        if let compare { state.openComparison(compare) }
        let trace = state.trace
        for a in actions where a >= 0 && a < trace.actionCount {
            state.jump(to: a)
            let step = Int(trace.records[a].step)
            let title = trace.scene.steps.indices.contains(step) ? trace.scene.steps[step].title : ""
            body(ExportFrame(grid: state.render(), action: a, step: step, stepTitle: title,
                             startsStep: trace.actions(ofStep: step).lowerBound == a))
        }
    }
}

/// A cell style as exports draw it: theme colours with reverse applied, plus the attributes that
/// colours cannot carry.
struct ResolvedStyle: Hashable {
    var fg: RGB
    var bg: RGB
    var bold: Bool
    var dim: Bool
    var underline: Bool

    init(_ style: Style, theme: Theme) {
        let (fg, bg) = theme.resolved(style)
        self.fg = fg
        self.bg = bg
        bold = style.attributes.contains(.bold)
        dim = style.attributes.contains(.dim)
        underline = style.attributes.contains(.underline)
    }

    /// The foreground with dim applied as a blend towards the background, for SVG and HTML, which
    /// have no "faint" attribute that all viewers honour.
    var shownForeground: RGB {
        guard dim else { return fg }
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Int(a) * 3 + Int(b) * 2) / 5) }
        return RGB(mix(fg.r, bg.r), mix(fg.g, bg.g), mix(fg.b, bg.b))
    }
}

/// Text-level helpers shared by the exporters.
enum ExportText {
    /// True for characters that must never reach an output: C0, DEL and C1 controls.
    @inline(__always)
    static func isControl(_ v: UInt32) -> Bool { v < 0x20 || (0x7f...0x9f).contains(v) }

    /// `text` with every control character replaced by U+FFFD. Cells are sanitised already; this is
    /// the second line of defence, so a bug upstream cannot smuggle an escape into a file.
    static func defused(_ text: String) -> String {
        // A fast byte scan first: almost every run is clean. C1 controls are C2 80…C2 9F in UTF-8.
        var previous: UInt8 = 0
        var clean = true
        for b in text.utf8 {
            if b < 0x20 || b == 0x7f || (previous == 0xc2 && b < 0xa0) {
                clean = false
                break
            }
            previous = b
        }
        if clean { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for u in text.unicodeScalars {
            out.unicodeScalars.append(isControl(u.value) ? "\u{FFFD}" : u)
        }
        return out
    }

    /// XML and HTML escaping of `& < > " '`, with controls defused.
    static func xmlEscaped(_ text: String, into out: inout String) {
        let safe = defused(text)
        guard safe.utf8.contains(where: { $0 == 0x26 || $0 == 0x3c || $0 == 0x3e || $0 == 0x22 || $0 == 0x27 }) else {
            out += safe
            return
        }
        for u in safe.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(u)
            }
        }
    }

    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        xmlEscaped(text, into: &out)
        return out
    }

    /// The columns of row `y` worth drawing: trailing blanks in the theme's plain colours add nothing.
    static func usedWidth(_ grid: Grid, row y: Int, theme: Theme) -> Int {
        let plain = theme.resolved(.normal)
        var end = grid.width
        while end > 0 {
            let cell = grid[end - 1, y]
            guard cell.text == " ", !cell.style.attributes.contains(.underline),
                  theme.resolved(cell.style).bg == plain.bg else { break }
            end -= 1
        }
        return end
    }

    /// Row `y` as runs of one style, over the first `width` columns only.
    static func runs(_ grid: Grid, row y: Int, width: Int) -> [Run] {
        var out: [Run] = []
        let start = y * grid.width
        for x in 0..<min(width, grid.width) {
            let cell = grid.cells[start + x]
            if !out.isEmpty, out[out.count - 1].style == cell.style {
                out[out.count - 1].width += 1
                out[out.count - 1].text += cell.text
            } else {
                out.append(Run(x: x, width: 1, text: cell.text, style: cell.style))
            }
        }
        return out
    }
}

/// Neighbouring cells of one style in a row (wide characters count two columns).
struct Run {
    var x: Int
    var width: Int
    var text: String
    var style: Style
}
