// `rmpviz run SCENE --variant A --compare B`, through the real binary, on a scene file the test writes.
import Foundation
import Testing
import TestSupport

@Suite struct RunCompareTests {
    static let scene = TestScenes.keepOrDiscard

    static let keptFrame = "a frame, RMP shared, direct map present, pins 0"

    func withScene(_ body: (String) throws -> Void) throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        try body(try folder.write("c.scene", Self.scene))
    }

    @Test func textSaysWhereAndWhichRows() throws {
        try withScene { path in
            let r = try BinaryRunner.run(["run", path, "--variant", "keep", "--compare", "discard"])
            expectStatus(r, 0)
            #expect(r.outLines == [
                "compare: left variant keep, kernel mainline · right variant discard, kernel mainline",
                "first differs at step 2, action 2: vmm convert a private — discard shared (only on the right) — "
                    + "left keeps 0x100 in the shared fd, right frees it",
                "  a (gfn 0x10) shared fd: left \(Self.keptFrame); right hole",
                "step 2 convert a:",
                "  a (gfn 0x10) shared fd: left \(Self.keptFrame); right hole",
                "step 3 write b:",
                "  a (gfn 0x10) shared fd: left \(Self.keptFrame); right hole",
                "ending: left completed, right completed",
            ], r.summary)
        }
    }

    @Test func jsonEndsWithDivergesAt() throws {
        try withScene { path in
            let r = try BinaryRunner.run(["run", path, "--variant", "keep", "--compare", "discard", "--format", "json"])
            expectStatus(r, 0)
            let lines = jsonLines(r)
            #expect(lines.count == 4, "three steps and the ending")
            for (s, line) in lines.dropLast().enumerated() {
                #expect(int(line["step"]) == s + 1)
                let rows = try #require(line["differences"] as? [[String: Any]])
                #expect(rows.count == (s == 0 ? 0 : 1), "step \(s + 1)")
                for row in rows {
                    #expect(int(row["gfn"]) == 0x10 && row["page"] as? String == "a" && row["field"] as? String == "shared fd")
                    #expect(row["left"] as? String == Self.keptFrame && row["right"] as? String == "hole")
                }
            }
            let end = try #require(lines.last)
            let at = try #require(end["diverges_at"] as? [String: Any])
            #expect(int(at["step"]) == 2 && int(at["action"]) == 2)
            let left = try #require(end["left"] as? [String: Any]), right = try #require(end["right"] as? [String: Any])
            #expect(left["variant"] as? String == "keep" && right["variant"] as? String == "discard")
            #expect(left["kernel"] as? String == "mainline" && right["kernel"] as? String == "mainline")
            #expect(left["ending"] as? String == "completed" && right["ending"] as? String == "completed")
        }
    }

    /// The same run twice: no step differs and `diverges_at` is null.
    @Test func identicalRunsNeverDiffer() throws {
        try withScene { path in
            let text = try BinaryRunner.run(["run", path, "--variant", "keep", "--compare", "keep"])
            expectStatus(text, 0)
            #expect(text.outLines.count == 3 && text.outLines[1] == "the runs never differ", text.summary)
            let json = try BinaryRunner.run(["run", path, "--variant", "keep", "--compare", "keep", "--format", "json"])
            expectStatus(json, 0)
            let lines = jsonLines(json)
            #expect(lines.dropLast().allSatisfy { ($0["differences"] as? [Any])?.isEmpty == true })
            let end = try #require(lines.last)
            #expect(isNull(end["diverges_at"]))
            #expect((end["left"] as? [String: Any])?["ending"] as? String == "completed")
        }
    }

    /// Settings on top of the variant: the thread kernel allocates the private side at once and
    /// raises double-allocation at the step's end; the endings differ.
    @Test func settingsSideOnTopOfTheVariant() throws {
        try withScene { path in
            let r = try BinaryRunner.run(["run", path, "--variant", "keep", "--compare", "kernel=thread"])
            expectStatus(r, 0)
            #expect(r.outLines.count > 2 && r.outLines[1] == "first differs at step 2, action 2: vmm convert a private — alloc private (only on the right) — "
                    + "left has no frame in the private fd, right allocates 0x102 in the private fd; left raises nothing, right raises double-allocation",
                    r.summary)
            #expect(r.outLines.contains("  a (gfn 0x10) private fd: left hole; right \(Self.keptFrame)"))
            #expect(r.outLines.contains("  outcomes: left none; right double-allocation"))
            let json = try BinaryRunner.run(["run", path, "--variant", "keep", "--compare", "kernel=thread", "--format", "json"])
            let end = try #require(jsonLines(json).last)
            #expect(int((end["diverges_at"] as? [String: Any])?["step"]) == 2)
            #expect((end["right"] as? [String: Any])?["kernel"] as? String == "thread")
            #expect((end["right"] as? [String: Any])?["ending"] as? String == "double-allocation")
        }
    }
}
