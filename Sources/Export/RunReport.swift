import MemoryModel
import SceneLanguage
import StepEngine

/// A run printed for people (`--format text`) or programs (`--format json`, JSON Lines).
public enum RunReport {
    /// One readable line per action, then the ending.
    public static func text(_ trace: Trace, _ emit: (String) -> Void) {
        emit("kernel: \(trace.config.kernel.rawValue) (\(trace.config.kernel.summary)); settings: "
             + trace.config.resolved.filter { $0.key != .kernel }.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: " "))
        for i in 0..<trace.actionCount {
            let r = trace.records[i]
            var line = "step \(r.step + 1) · action \(i + 1) · \(actorName(trace, i)) · \(trace.title(of: i))"
            if let p = trace.pageName(of: i) { line += " · page \(p)" }
            if let g = trace.gfn(of: i) { line += " gfn \(hex(g))" }
            if let f = trace.frame(of: i) { line += " pfn \(hex(f))" }
            line += " · " + trace.summary(of: i)
            for o in trace.outcomes(of: i) {
                line += " · \(o.outcome.kind.rawValue) (\(o.outcome.severity)): \(o.outcome.reason)"
            }
            emit(Diagnostic.printable(line))
        }
        var end = "ending: \(trace.ending) after \(trace.stepsRun) of \(trace.stepCount) steps"
        if let r = trace.ending.raised { end += " — \(r.outcome.reason)" }
        emit(Diagnostic.printable(end))
    }

    /// JSON Lines: one object per action, then `{"ending": …, "outcomes": […], "steps_run": N, "steps": M}`.
    public static func json(_ trace: Trace, _ emit: (String) -> Void) {
        for i in 0..<trace.actionCount {
            let r = trace.records[i]
            var o = JSONObject()
            o.add("step", Int(r.step) + 1)
            o.add("step_title", trace.scene.steps[Int(r.step)].title)
            o.add("action", i + 1)
            o.add("actor", actorName(trace, i))
            o.add("op", trace.title(of: i))
            o.add("page", trace.pageName(of: i))
            o.add("gfn", trace.gfn(of: i))
            o.add("frame", trace.frame(of: i))
            o.addRaw("changes", "[" + trace.changes(of: i).map(changeJSON).joined(separator: ",") + "]")
            o.addRaw("outcomes", "[" + trace.outcomes(of: i).map(outcomeJSON).joined(separator: ",") + "]")
            o.add("summary", trace.summary(of: i))
            emit(o.text)
        }
        var end = JSONObject()
        end.add("ending", trace.ending.description)
        end.addRaw("outcomes", "[" + trace.outcomes.map(outcomeJSON).joined(separator: ",") + "]")
        end.add("steps_run", trace.stepsRun)
        end.add("steps", trace.stepCount)
        end.add("variant", trace.variant?.name)
        end.add("kernel", trace.config.kernel.rawValue)
        var settings = JSONObject()
        for (key, value) in trace.config.resolved where key != .kernel {
            if key == .asid { settings.add(key.rawValue, trace.config.asid) } else { settings.add(key.rawValue, value) }
        }
        end.addRaw("settings", settings.text)
        emit(end.text)
    }

    static func actorName(_ trace: Trace, _ i: Int) -> String {
        trace.line(of: i)?.operation.actor.rawValue ?? "scene"
    }

    static func changeJSON(_ c: Change) -> String {
        var o = JSONObject()
        o.add("table", c.table.rawValue)
        o.add("row", c.row)
        o.add("field", c.field.rawValue)
        o.add("before", c.before.description)
        o.add("after", c.after.description)
        return o.text
    }

    static func outcomeJSON(_ r: RaisedOutcome) -> String {
        var o = JSONObject()
        o.add("kind", r.outcome.kind.rawValue)
        o.add("severity", r.outcome.severity.description)
        o.add("page", r.outcome.page)
        o.add("gfn", r.outcome.gfn)
        o.add("frame", r.outcome.frame)
        o.add("reason", r.outcome.reason)
        o.add("step", r.step + 1)
        o.add("action", r.action + 1)
        return o.text
    }
}

/// A JSON object written field by field, in order, with strings escaped.
struct JSONObject {
    private var fields: [String] = []

    mutating func add(_ key: String, _ value: String?) { addRaw(key, value.map(JSONObject.quote) ?? "null") }
    mutating func add(_ key: String, _ value: Int?) { addRaw(key, value.map(String.init) ?? "null") }
    mutating func addRaw(_ key: String, _ raw: String) { fields.append(JSONObject.quote(key) + ":" + raw) }

    var text: String { "{" + fields.joined(separator: ",") + "}" }

    static func quote(_ s: String) -> String {
        var out = ""
        quote(s, into: &out)
        return out
    }

    /// Appends `s` as a JSON string. With `scriptSafe`, `<`, `>` and `&` become \u escapes so the
    /// text can sit inside an HTML `<script>`, and CR is written short (casts are full of it); the
    /// default keeps `rmpviz run --format json` byte for byte as it was.
    ///
    /// Works on UTF-8 bytes and copies the stretches between escapes whole: a 1,000-frame cast is
    /// 30 MB of text, too much to append one scalar at a time. Every byte that needs escaping is
    /// ASCII or the lead of a C1 control (C2 80…C2 9F), so the stretches are whole characters.
    static func quote(_ s: String, into out: inout String, scriptSafe: Bool = false) {
        out += "\""
        var text = s
        text.withUTF8 { u in
            var start = 0, i = 0
            func flush(to end: Int) {
                if start < end { out += String(decoding: UnsafeBufferPointer(rebasing: u[start..<end]), as: UTF8.self) }
            }
            while i < u.count {
                let b = u[i]
                var escape: String?
                var width = 1
                switch b {
                case 0x22: escape = "\\\""
                case 0x5C: escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x09: escape = "\\t"
                case 0x0D where scriptSafe: escape = "\\r"
                case 0x3C where scriptSafe: escape = "\\u003c"
                case 0x3E where scriptSafe: escape = "\\u003e"
                case 0x26 where scriptSafe: escape = "\\u0026"
                case 0..<0x20, 0x7F: escape = unicodeEscape(b)
                case 0xC2 where i + 1 < u.count && (0x80...0x9F).contains(u[i + 1]):
                    escape = unicodeEscape(u[i + 1])
                    width = 2
                default: break
                }
                guard let escape else {
                    i += 1
                    continue
                }
                flush(to: i)
                out += escape
                i += width
                start = i
            }
            flush(to: u.count)
        }
        out += "\""
    }

    /// `\u00XX` for a code point below 0x100, lower-case hex.
    private static func unicodeEscape(_ v: UInt8) -> String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        return "\\u00" + String(digits[Int(v >> 4)]) + String(digits[Int(v & 0xF)])
    }
}
