// asciicast v2: a JSON header line, then one JSON array per event.
import Screen

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
