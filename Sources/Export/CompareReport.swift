import MemoryModel
import SceneLanguage
import StepEngine

/// `rmpviz run --compare`: where two runs first differ and, per step, the rows that differ.
public enum CompareReport {
    static func side(_ t: Trace) -> String {
        (t.variant.map { "variant \($0.name)" } ?? "the scene") + ", kernel \(t.config.kernel.rawValue)"
            + (t.scene.overrides.isEmpty ? "" : ", " + t.scene.overrides.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: " "))
    }

    static func row(_ d: RowDifference) -> String {
        "\(d.page) (gfn \(hex(d.gfn))) \(d.field): left \(d.left); right \(d.right)"
    }

    public static func text(_ c: RunComparison, _ emit: (String) -> Void) {
        emit("compare: left \(side(c.left)) · right \(side(c.right))")
        emit(c.divergenceSentence)
        if let d = c.divergence {
            for r in d.differences { emit("  " + row(r)) }
            if d.outcomes.left != d.outcomes.right {
                emit("  outcomes: left \(d.outcomes.left.isEmpty ? "none" : d.outcomes.left.joined(separator: ", ")); right \(d.outcomes.right.isEmpty ? "none" : d.outcomes.right.joined(separator: ", "))")
            }
        }
        for (s, diffs) in c.stepDifferences.enumerated() where !diffs.isEmpty {
            let reached = (c.left.isReached(step: s) ? "" : " (left: not reached)") + (c.right.isReached(step: s) ? "" : " (right: not reached)")
            emit("step \(s + 1) \(c.left.scene.steps[s].title)\(reached):")
            for r in diffs { emit("  " + row(r)) }
        }
        emit("ending: left \(c.left.ending), right \(c.right.ending)")
    }

    public static func json(_ c: RunComparison, _ emit: (String) -> Void) {
        for (s, diffs) in c.stepDifferences.enumerated() {
            var o = JSONObject()
            o.add("step", s + 1)
            o.add("title", c.left.scene.steps[s].title)
            o.addRaw("differences", "[" + diffs.map { d in
                var r = JSONObject()
                r.add("gfn", d.gfn)
                r.add("page", d.page)
                r.add("field", d.field)
                r.add("left", d.left)
                r.add("right", d.right)
                return r.text
            }.joined(separator: ",") + "]")
            emit(o.text)
        }
        var end = JSONObject()
        if let d = c.divergence {
            var at = JSONObject()
            at.add("step", d.step + 1)
            at.add("action", d.action + 1)
            end.addRaw("diverges_at", at.text)
        } else {
            end.addRaw("diverges_at", "null")
        }
        for (name, t) in [("left", c.left), ("right", c.right)] {
            var o = JSONObject()
            o.add("variant", t.variant?.name)
            o.add("kernel", t.config.kernel.rawValue)
            o.add("ending", t.ending.description)
            end.addRaw(name, o.text)
        }
        emit(end.text)
    }
}
