// `rmpviz run`: JSON Lines and text, through the real binary.
import Foundation
import Testing

/// Parses every line of a JSON Lines output; records an issue for a line that is not a JSON object.
func jsonLines(_ r: RunResult, sourceLocation: SourceLocation = #_sourceLocation) -> [[String: Any]] {
    var out: [[String: Any]] = []
    let lines = r.out.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.last == "", "output ends with a newline", sourceLocation: sourceLocation)
    for (i, line) in lines.dropLast().enumerated() {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            Issue.record("line \(i + 1) is not a JSON object: \(line)", sourceLocation: sourceLocation)
            continue
        }
        out.append(object)
    }
    return out
}

func int(_ v: Any?) -> Int? { (v as? NSNumber).map(\.intValue) ?? v as? Int }
func isNull(_ v: Any?) -> Bool { v is NSNull }

@Suite struct RunTests {
    /// Checks the shape of every action line and of the ending line; returns the ending line.
    func checkShape(_ r: RunResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        expectStatus(r, 0, sourceLocation: sourceLocation)
        let objects = jsonLines(r, sourceLocation: sourceLocation)
        let end = try #require(objects.last, "an ending line", sourceLocation: sourceLocation)
        let actions = objects.dropLast()
        #expect(!actions.isEmpty, sourceLocation: sourceLocation)
        var previousStep = 1
        for (i, a) in actions.enumerated() {
            for key in ["step", "action", "actor", "op", "page", "gfn", "frame", "changes", "outcomes"] {
                #expect(a.keys.contains(key), "action \(i + 1) has '\(key)': \(a)", sourceLocation: sourceLocation)
            }
            #expect(int(a["action"]) == i + 1, "actions are numbered from 1 in order", sourceLocation: sourceLocation)
            let step = int(a["step"]) ?? 0
            #expect(step >= previousStep, "steps never go back", sourceLocation: sourceLocation)
            previousStep = step
            #expect(["guest", "kvm", "vmm", "host", "scene"].contains(a["actor"] as? String ?? ""), "\(a)",
                    sourceLocation: sourceLocation)
            #expect(!(a["op"] as? String ?? "").isEmpty, sourceLocation: sourceLocation)
            #expect(a["page"] is String || isNull(a["page"]), sourceLocation: sourceLocation)
            #expect(int(a["gfn"]) != nil || isNull(a["gfn"]), sourceLocation: sourceLocation)
            #expect(int(a["frame"]) != nil || isNull(a["frame"]), sourceLocation: sourceLocation)
            let changes = a["changes"] as? [[String: Any]]
            #expect(changes != nil, "changes is an array of objects: \(a)", sourceLocation: sourceLocation)
            for c in changes ?? [] {
                #expect(Set(c.keys).isSuperset(of: ["table", "row", "field", "before", "after"]), "\(c)",
                        sourceLocation: sourceLocation)
                #expect(c["table"] is String && int(c["row"]) != nil && c["field"] is String, "\(c)",
                        sourceLocation: sourceLocation)
            }
            let outcomes = a["outcomes"] as? [[String: Any]]
            #expect(outcomes != nil, "outcomes is an array of objects: \(a)", sourceLocation: sourceLocation)
            for o in outcomes ?? [] { checkOutcome(o, sourceLocation: sourceLocation) }
        }
        for key in ["ending", "outcomes", "steps_run", "steps"] {
            #expect(end.keys.contains(key), "the last line has '\(key)': \(end)", sourceLocation: sourceLocation)
        }
        let endOutcomes = end["outcomes"] as? [[String: Any]]
        #expect(endOutcomes != nil, sourceLocation: sourceLocation)
        for o in endOutcomes ?? [] { checkOutcome(o, sourceLocation: sourceLocation) }
        // The ending line's outcomes are those of the actions, in order.
        let perAction = actions.flatMap { ($0["outcomes"] as? [[String: Any]]) ?? [] }
        #expect(perAction.count == endOutcomes?.count, sourceLocation: sourceLocation)
        #expect(perAction.map { $0["kind"] as? String } == (endOutcomes ?? []).map { $0["kind"] as? String },
                sourceLocation: sourceLocation)
        let stepsRun = int(end["steps_run"]) ?? -1, steps = int(end["steps"]) ?? -1
        #expect(stepsRun >= 1 && stepsRun <= steps, "\(end)", sourceLocation: sourceLocation)
        #expect(previousStep == stepsRun, "the last action is in the last step run", sourceLocation: sourceLocation)
        return end
    }

    func checkOutcome(_ o: [String: Any], sourceLocation: SourceLocation) {
        #expect(Set(o.keys).isSuperset(of: ["kind", "severity", "page", "gfn", "frame", "reason"]), "\(o)",
                sourceLocation: sourceLocation)
        #expect(o["kind"] is String && o["severity"] is String && !(o["reason"] as? String ?? "").isEmpty, "\(o)",
                sourceLocation: sourceLocation)
    }

    @Test func jsonDefaultVariantIsKeep() throws {
        let r = try BinaryRunner.run(["run", "ghcb-upm", "--format", "json"])
        let end = try checkShape(r)
        #expect(end["ending"] as? String == "double-allocation", "\(end)")
    }

    @Test func jsonDiscardEndsInHostPanic() throws {
        let r = try BinaryRunner.run(["run", "ghcb-upm", "--variant", "discard", "--format", "json"])
        let end = try checkShape(r)
        #expect(end["ending"] as? String == "host-panic", "\(end)")
        // ghcb-upm has 6 steps; the discard variant panics in step 5 (KVM completes the PSC through
        // its kmap of the freed, reassigned frame), so 5 of them run and step 6 never does.
        #expect(int(end["steps"]) == 6, "\(end)")
        #expect(int(end["steps_run"]) == 5, "\(end)")
        let outcomes = end["outcomes"] as? [[String: Any]] ?? []
        let panic = outcomes.first { $0["kind"] as? String == "host-panic" }
        #expect(panic?["page"] as? String == "ghcb" && int(panic?["gfn"]) == 0x10, "\(outcomes)")
        #expect(panic?["severity"] as? String == "fatal", "\(outcomes)")
        // The panic is the last action: a fatal outcome stops the run.
        let objects = jsonLines(r)
        let last = objects.dropLast().last
        #expect((last?["outcomes"] as? [[String: Any]])?.contains { $0["kind"] as? String == "host-panic" } == true)
    }

    @Test func jsonKeepEndsInDoubleAllocation() throws {
        let r = try BinaryRunner.run(["run", "ghcb-upm", "--variant", "keep", "--format", "json"])
        let end = try checkShape(r)
        #expect(end["ending"] as? String == "double-allocation", "\(end)")
        #expect(int(end["steps_run"]) == int(end["steps"]), "\(end)")
        let outcomes = end["outcomes"] as? [[String: Any]] ?? []
        #expect(!outcomes.contains { $0["kind"] as? String == "host-panic" }, "\(outcomes)")
    }

    @Test func setOverridesTheVariant() throws {
        // keep ends in a double allocation (see jsonKeepEndsInDoubleAllocation). Discarding the shared
        // page on its kernel (mainline, where KVM holds a pin) turns it into the mainline variant: a lost write.
        let r = try BinaryRunner.run(["run", "ghcb-upm", "--variant", "keep", "--set", "discard-on-convert=on",
                                      "--format", "json"])
        let end = try checkShape(r)
        #expect(end["ending"] as? String == "lost-write", "\(end)")
        // And on the thread's kernel (a kmap, no page reference) it is the discard variant: a panic.
        let thread = try BinaryRunner.run(["run", "ghcb-upm", "--variant", "keep", "--set", "discard-on-convert=on",
                                           "--kernel", "thread", "--format", "json"])
        let threadEnd = try checkShape(thread)
        #expect(threadEnd["ending"] as? String == "host-panic", "\(threadEnd)")
    }

    @Test(arguments: builtinSceneNames())
    func everyBuiltinRunsAsJSON(_ name: String) throws {
        let variants = variantNames(try sceneFile("\(name).scene"))
        for v in variants.isEmpty ? [nil] : variants.map(Optional.some) {
            let r = try BinaryRunner.run(["run", name, "--format", "json"] + (v.map { ["--variant", $0] } ?? []))
            let end = try checkShape(r)
            #expect(end["ending"] is String)
        }
    }

    @Test func textHasOneLinePerActionAndAnEnding() throws {
        let json = try BinaryRunner.run(["run", "ghcb-upm", "--variant", "discard", "--format", "json"])
        let text = try BinaryRunner.run(["run", "ghcb-upm", "--variant", "discard"])
        expectStatus(text, 0)
        let explicit = try BinaryRunner.run(["run", "ghcb-upm", "--variant", "discard", "--format", "text"])
        #expect(explicit.stdout == text.stdout, "text is the default format")
        let actions = jsonLines(json).count - 1
        let lines = text.outLines
        // A line naming the kernel and its settings, one line per action, the ending.
        #expect(lines.count == 1 + actions + 1, text.summary)
        // The discard variant sets kernel thread.
        #expect(lines.first?.hasPrefix("kernel: thread (") == true && lines.first?.contains("; settings: ") == true,
                text.summary)
        for (i, line) in lines.dropFirst().dropLast().enumerated() {
            #expect(line.hasPrefix("step ") && line.contains("action \(i + 1) "), "line \(i + 2): \(line)")
        }
        #expect(lines.last?.hasPrefix("ending: host-panic") == true, text.summary)
        // The panic is in step 5 of 6 (see jsonDiscardEndsInHostPanic).
        #expect(lines.last?.contains("5 of 6 steps") == true, text.summary)
        #expect(unsafeTerminalBytes(text.stdout).isEmpty)
    }

    @Test func runIsDeterministic() throws {
        for args in [["run", "ghcb-upm", "--format", "json"], ["run", "ghcb-upm", "--variant", "discard", "--format", "json"],
                     ["run", "kmap-guard", "--format", "json"], ["run", "no-upm-host-write"]] {
            let a = try BinaryRunner.run(args)
            let b = try BinaryRunner.run(args)
            expectStatus(a, 0)
            #expect(!a.stdout.isEmpty)
            #expect(a.stdout == b.stdout, "two runs of \(args) differ")
            #expect(a.stderr == b.stderr)
        }
    }

    @Test func runFromAPathMatchesTheBuiltin() throws {
        let byName = try BinaryRunner.run(["run", "ghcb-upm", "--format", "json"])
        let byPath = try BinaryRunner.run(["run", "scenes/ghcb-upm.scene", "--format", "json"])
        expectStatus(byPath, 0)
        #expect(byName.stdout == byPath.stdout)
    }
}
