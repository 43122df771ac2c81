import MemoryModel
import SceneLanguage
import StepEngine

/// A run printed for people (`--format text`) or programs (`--format json`, JSON Lines).
public enum RunReport {
    /// One readable line per action, then the ending.
    public static func text(_ trace: Trace, _ emit: (String) -> Void) {
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
        emit(end.text)
    }

    static func actorName(_ trace: Trace, _ i: Int) -> String {
        trace.line(of: i)?.operation.actor.rawValue ?? "scene"
    }

    static func changeJSON(_ c: Change) -> String {
        var o = JSONObject()
        o.add("table", c.table.rawValue)
        o.add("row", c.row)
        o.add("field", c.field)
        o.add("before", c.before)
        o.add("after", c.after)
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
    static func quote(_ s: String, into out: inout String, scriptSafe: Bool = false) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r" where scriptSafe: out += "\\r"
            case "<" where scriptSafe: out += "\\u003c"
            case ">" where scriptSafe: out += "\\u003e"
            case "&" where scriptSafe: out += "\\u0026"
            default:
                if u.value < 0x20 || (0x7f...0x9f).contains(u.value) {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
