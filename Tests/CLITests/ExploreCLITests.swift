// `rmpviz explore` through the real binary: text, JSON, witnesses, errors, and the terminal matrix.
import Foundation
import Testing

@Suite(.serialized) struct ExploreCLITests {
    @Test func jsonIsTheSpecsObject() throws {
        let r = try BinaryRunner.run(["explore", "ghcb-race", "--over", "kernel", "--format", "json"])
        expectStatus(r, 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["interleavings", "rows"])
        #expect(int(object["interleavings"]) == 90)
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 3)
        #expect((rows[0]["settings"] as? [String: String]) == ["kernel": "thread"])
        #expect(Set(rows[0].keys) == ["settings", "runs", "endings", "outcomes"])
        let endings = try #require(rows[0]["endings"] as? [String: Any])
        #expect(endings.values.compactMap(int).reduce(0, +) == 90, "every interleaving has one ending")
        #expect(rows[1]["invalid"] as? Bool == true && (rows[1]["error"] as? String)?.contains("upm on") == true)
        let outcomes = try #require(rows[2]["outcomes"] as? [String: Any])
        #expect(outcomes["host-panic"] == nil, "mainline never panics here; only raised outcomes are listed")
        #expect(int(outcomes["lost-write"]) == 30)
    }

    @Test func textIsAMatrixThatFitsIn100Columns() throws {
        let r = try BinaryRunner.run(["explore", "ghcb-race", "--over", "kernel,discard-on-convert", "--format", "text"])
        expectStatus(r, 0)
        for line in r.outLines { #expect(line.count <= 100, "too wide: \(line)") }
        #expect(r.outLines.contains { $0.hasPrefix("1    thread    on") && $0.contains("sometimes (4/90)") }, r.summary)
        #expect(r.out.contains("distinct states"))
    }

    @Test func theWitnessIsASceneThatCheckPasses() throws {
        let dir = try TempFolder()
        defer { dir.remove() }
        let path = dir.path("w.scene")
        let w = try BinaryRunner.run(["explore", "ghcb-race", "--witness", "1:host-panic", "-o", path])
        expectStatus(w, 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("config kernel thread") && text.contains("expect host-panic") && !text.contains("lane="))
        let c = try BinaryRunner.run(["check", path])
        expectStatus(c, 0)
        #expect(c.out.hasPrefix("ok"))
        let none = try BinaryRunner.run(["explore", "ghcb-race", "--variant", "mainline", "--witness", "1:host-panic"])
        expectStatus(none, 1)
        #expect(none.err.contains("no interleaving of row 1 raises host-panic"))
    }

    @Test(arguments: [
        (["--over", "kernal"], "did you mean 'kernel'?"),
        (["--over", "asid"], "takes numbers"),
        (["--over", "kernel,kernel"], "named twice"),
        (["--witness", "x"], "expected ROW:OUTCOME"),
        (["--witness", "1:hostpanic"], "did you mean 'host-panic'?"),
        (["--witness", "9:host-panic"], "there are 1 rows"),
    ])
    func badUsage(arguments: [String], message: String) throws {
        let r = try BinaryRunner.run(["explore", "ghcb-race", "--format", "text"] + arguments)
        expectStatus(r, 64)
        #expect(r.err.contains(message), r.summary)
    }

    @Test func checkReportsAFailedQuantifiedExpectationWithItsWitness() throws {
        let dir = try TempFolder()
        defer { dir.remove() }
        let path = try dir.write("race.scene", """
            title "race"
            config kernel thread
            config discard-on-convert on
            page ghcb gfn=0x10 shared
            step "map" lane=kvm
              kvm map ghcb
            step "write" lane=kvm
              kvm write ghcb
            step "convert" lane=guest
              guest psc ghcb private
              kvm exit ghcb
              vmm convert ghcb private
            expect never use-after-free ghcb
            """)
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 1)
        #expect(r.outLines.first?.hasPrefix("FAIL") == true, r.summary)
        #expect(r.out.contains("race.scene:13:1: expect never use-after-free ghcb: raised in 1 of 3 interleavings"), r.summary)
        #expect(r.out.contains("\"map\" → \"convert\" → \"write\""), r.summary)
    }

    @Test func theMatrixInATerminal() throws {
        let t = try TmuxViewer.start(["explore", "ghcb-race", "--over", "kernel"], width: 120, height: 35)
        defer { t.killServer() }
        #expect(t.wait(forText: "row  kernel", seconds: 30))
        #expect(t.capture().contains("Enter witness"))
        try t.press("Enter")
        #expect(t.wait(forText: "RMP table"), "Enter opens the witness in the viewer")
        #expect(t.capture().contains("Witness for host-panic"))
        try t.press("Escape")
        #expect(t.wait(forText: "row  kernel"), "Esc comes back to the matrix")
        try t.press("q")
        #expect(t.wait(for: "the program to end", { !$0.contains("row  kernel") }))
    }
}

/// docs/scene-language.md's worked matrix is what the binary prints, byte for byte.
@Test func theDocsWorkedMatrixIsTheBinarysOutput() throws {
    let r = try BinaryRunner.run(["explore", "ghcb-race", "--over", "kernel,discard-on-convert", "--format", "text"])
    expectStatus(r, 0)
    let doc = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent("docs/scene-language.md"), encoding: .utf8)
    #expect(doc.contains("$ rmpviz explore ghcb-race --over kernel,discard-on-convert\n" + r.out),
            "paste the output of 'rmpviz explore ghcb-race --over kernel,discard-on-convert' into the docs")
}
