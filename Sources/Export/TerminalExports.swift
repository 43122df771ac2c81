// The terminal formats: plain text, ANSI, and asciicast recordings of the ANSI frames.
import Screen

/// `--format txt`: each frame's text (rows with trailing blanks trimmed), frames separated by a
/// line holding only a form feed, so `less` and `pr` page frame by frame.
public enum TextExport {
    /// The line between two frames.
    public static let separator = "\u{0C}"

    /// One frame: `Grid.text`, the text the terminal shows (controls defused row by row).
    public static func frame(_ grid: Grid) -> String {
        (0..<grid.height).map { ExportText.defused(grid.rowText($0)) }.joined(separator: "\n")
    }

    /// Every frame of every run in order; ends with a newline.
    public static func document(_ runs: [RunFrames]) -> String {
        var out = ""
        var first = true
        for run in runs {
            run.forEach { f in
                if !first { out += separator + "\n" }
                first = false
                out += frame(f.grid)
                out += "\n"
            }
        }
        return out
    }
}

/// `--format ansi`: the same frames with the theme's colours and the styles' attributes as SGR
/// sequences (24-bit colour; bold 1, dim 2, underline 4, reverse 7), reset at every line end.
/// Rows are written full width so the theme's background is a clean rectangle in any terminal.
public enum ANSIExport {
    /// One frame, rows joined by `lineEnd` (no newline after the last row).
    public static func frame(_ grid: Grid, theme: Theme, lineEnd: String = "\n") -> String {
        var sgr = SGRCache(theme: theme)
        var out = ""
        append(grid, theme: theme, lineEnd: lineEnd, sgr: &sgr, to: &out)
        return out
    }

    /// Every frame of every run in order, separated like the text export; ends with a newline.
    public static func document(_ runs: [RunFrames], theme: Theme) -> String {
        var sgr = SGRCache(theme: theme)
        var out = ""
        var first = true
        for run in runs {
            run.forEach { f in
                if !first { out += TextExport.separator + "\n" }
                first = false
                append(f.grid, theme: theme, lineEnd: "\n", sgr: &sgr, to: &out)
                out += "\n"
            }
        }
        return out
    }

    /// Appends a frame: per row, one SGR sequence per styled run, then a reset.
    static func append(_ grid: Grid, theme: Theme, lineEnd: String, sgr: inout SGRCache, to out: inout String) {
        // Cell by cell rather than through runs: no intermediate run strings on the hot path of casts.
        let cells = grid.cells
        for y in 0..<grid.height {
            if y > 0 { out += lineEnd }
            var current: Style?
            for cell in cells[(y * grid.width)..<((y + 1) * grid.width)] {
                if cell.style != current {
                    out += sgr.sequence(for: cell.style)
                    current = cell.style
                }
                out += ExportText.defused(cell.text)
            }
            out += SGRCache.reset
        }
    }
}

/// SGR sequences per style, made once per export rather than once per run.
struct SGRCache {
    static let reset = "\u{1B}[0m"
    let theme: Theme
    private var known: [Style: String] = [:]

    init(theme: Theme) { self.theme = theme }

    mutating func sequence(for style: Style) -> String {
        if let s = known[style] { return s }
        // Reverse is sent as SGR 7 over the unswapped colours: the same picture, and the attribute
        // survives in the file for tools that look for it.
        let reverse = style.attributes.contains(.reverse)
        let plain = Style(style.role, attributes: style.attributes.subtracting(.reverse))
        let (fg, bg) = theme.resolved(plain)
        var s = "\u{1B}[0"
        if style.attributes.contains(.bold) { s += ";1" }
        if style.attributes.contains(.dim) { s += ";2" }
        if style.attributes.contains(.underline) { s += ";4" }
        if reverse { s += ";7" }
        s += ";38;2;\(fg.r);\(fg.g);\(fg.b);48;2;\(bg.r);\(bg.g);\(bg.b)m"
        known[style] = s
        return s
    }
}

// MARK: - asciicast v2: a JSON header line, then one JSON array per event.

/// `--format cast`: an asciicast version 2 recording, one output event per action.
///
/// Each output event repaints the whole screen (clear, home, the ANSI frame), so a player can seek
/// anywhere; a marker event (`"m"`) at the first action of each step, named "step N: title", lets
/// players jump from step to step.
public enum CastExport {
    /// The header and events for the frames of `runs`, one every `interval` seconds from 0.
    /// Width and height are the frames' size (the first run's).
    public static func document(_ runs: [RunFrames], title: String, interval: Double, theme: Theme) -> String {
        let width = runs.first?.width ?? 80, height = runs.first?.height ?? 24
        var out = "{\"version\": 2, \"width\": \(width), \"height\": \(height), \"title\": \(JSONObject.quote(title))}\n"
        var sgr = SGRCache(theme: theme)
        var n = 0
        let step = max(0, interval)
        for run in runs {
            run.forEach { f in
                let time = timestamp(Double(n) * step)
                if f.startsStep {
                    out += "[\(time), \"m\", \(JSONObject.quote("step \(f.step + 1): \(f.stepTitle)"))]\n"
                }
                // Clear and home first; rows end in CR LF because a terminal's LF alone does not
                // return to the first column.
                var data = "\u{1B}[H\u{1B}[2J"
                ANSIExport.append(f.grid, theme: theme, lineEnd: "\r\n", sgr: &sgr, to: &data)
                out += "[\(time), \"o\", "
                JSONObject.quote(data, into: &out, scriptSafe: true)
                out += "]\n"
                n += 1
            }
        }
        return out
    }

    /// Seconds with six decimals, from whole microseconds, so 0.1 × 3 prints as 0.300000 rather
    /// than a binary fraction's long tail.
    static func timestamp(_ seconds: Double) -> String {
        let micros = Int((seconds * 1_000_000).rounded())
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
