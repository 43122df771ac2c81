import Export
import Foundation
import Screen
import StepEngine
import Testing
import Viewer

/// The frames of an HTML export as text: each `<pre class="f">` with its tags removed and its
/// entities decoded, in document order.
func htmlFrames(_ html: String) -> [String] {
    html.components(separatedBy: "<pre class=\"f\"").dropFirst().map { chunk in
        let body = chunk.drop { $0 != ">" }.dropFirst()
        let inner = body.components(separatedBy: "</pre>").first ?? ""
        var text = ""
        var inTag = false
        for c in inner {
            if c == "<" { inTag = true } else if c == ">" && inTag { inTag = false } else if !inTag { text.append(c) }
        }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// A viewer frame's text without its last row, the terminal's footer, which the page replaces with
/// its own controls. Checks that the row dropped is the footer.
func withoutFooter(_ frame: String) -> String {
    var lines = frame.split(separator: "\n", omittingEmptySubsequences: false)
    let footer = lines.removeLast()
    #expect(footer.contains("q quit") || footer.contains("? help"), "the last row is not the footer: \(footer)")
    return lines.joined(separator: "\n")
}

@Suite("html export")
struct HTMLTests {
    @Test("one file with every frame of every variant, in order, as the viewer shows them but without the footer")
    func everyFrameOfEveryVariant() {
        let traces = builtinTraces("ghcb-upm")
        let runs = traces.indices.map { RunFrames(traces: traces, variant: $0, width: 160, height: 45) }
        let html = HTMLExport.document(title: "ghcb", scenes: [HTMLScene(title: "ghcb-upm", variants: runs, start: 1)], theme: darkTheme)
        let expected = traces.indices.flatMap { viewerFrames(traces, variant: $0, width: 160, height: 45) }.map(withoutFooter)
        let frames = htmlFrames(html)
        #expect(frames.count == traces.map(\.actionCount).reduce(0, +))
        #expect(frames.map(trimmingLineEnds) == expected.map(trimmingLineEnds))
        #expect(frames.allSatisfy { $0.split(separator: "\n", omittingEmptySubsequences: false).count == 44 })
        // No frame carries the terminal's key hints: the page has its own buttons and key table.
        for hint in ["q quit", "Tab table", "K kernel", "Enter history", "/ find"] {
            #expect(!frames.contains { $0.contains(hint) }, "a frame shows the footer's \(hint)")
        }
        // Only the frame the page opens at is visible before the script runs: variant 2's first.
        let opening = traces[0].actionCount
        #expect(html.components(separatedBy: "<pre class=\"f\" id=\"f").count - 1 == frames.count)
        #expect(html.matches(of: #/<pre class="f" id="f\d+" hidden>/#).count == frames.count - 1)
        #expect(html.contains("<pre class=\"f\" id=\"f\(opening)\">"))
        #expect(html.contains("{\"start\":\(opening),"))
    }

    @Test("nothing is fetched: no URLs, no external fonts, scripts or style sheets")
    func selfContained() {
        let traces = builtinTraces("upm-basics")
        let html = HTMLExport.document(title: "t", scenes: [HTMLScene(title: "s", variants: [RunFrames(traces: traces, width: 100, height: 30)])], theme: darkTheme)
        for bad in ["http://", "https://", "src=", "href=", "@import", "url(", "<link", "fetch(", "XMLHttpRequest"] {
            #expect(!html.contains(bad), "contains \(bad)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
    }

    @Test("keys come from the viewer's key map; the page lists them, with the touch gestures")
    func keysAndControls() throws {
        let traces = builtinTraces("ghcb-upm")
        let html = HTMLExport.document(title: "t", scenes: [HTMLScene(title: "s", variants: traces.indices.map {
            RunFrames(traces: traces, variant: $0, width: 100, height: 30)
        })], theme: darkTheme)
        let keymap = try #require(jsonScript(html, id: "keymap") as? [String: String])
        let expected = ["ArrowRight": "n", " ": "n", "l": "n", "n": "n", "ArrowLeft": "p", "h": "p", "p": "p", "Backspace": "p",
                        "PageDown": "ns", "]": "ns", "PageUp": "ps", "[": "ps", "g": "f", "Home": "f", "G": "l", "End": "l",
                        "v": "nv", "V": "pv", "Enter": "enter", "0": "digit", "9": "digit"]
        for (key, move) in expected { #expect(keymap[key] == move, "key \(key)") }
        // Keys the page has no use for are not taken from the browser.
        for key in ["q", "Tab", "K", "/", "?", "j", "ArrowDown", "}"] { #expect(keymap[key] == nil, "key \(key)") }
        #expect(html.contains("<tr><td>→ l Space n</td><td>next action</td></tr>"))
        #expect(html.contains("<tr><td>PgDn ]</td><td>next step</td></tr>"))
        #expect(html.contains("<tr><td>0–9</td><td>a number, then Enter: go to step N</td></tr>"))
        #expect(html.contains("<tr><td>swipe left, tap the right half</td><td>next action</td></tr>"))
        // The controls: step and action buttons, a counter, a variant switch; no scene switch.
        for id in ["b-ps", "b-p", "b-n", "b-ns"] { #expect(html.contains("id=\"\(id)\""), "no button \(id)") }
        #expect(html.contains("title=\"next action (→ l Space n)\""))
        #expect(html.contains("<span id=\"count\">1/\(traces.map(\.actionCount).reduce(0, +))</span>"))
        #expect(html.contains("<select id=\"variant\""))
        #expect(!html.contains("<select id=\"scene\""))
        #expect(html.components(separatedBy: "<script>").count == 2)
    }

    @Test("a deck: the deck's card, then each scene's card with its source, run and about text, then its frames")
    func deckCards() throws {
        let upm = builtinTraces("upm-basics"), ghcb = builtinTraces("ghcb-upm")
        let discard = try #require(ghcb.firstIndex { $0.variant?.name == "discard" })
        let scenes = [HTMLScene(title: "UPM basics", variants: [RunFrames(traces: upm, width: 100, height: 30)]),
                      HTMLScene(title: "GHCB (discard)", variants: [RunFrames(traces: ghcb, variant: discard, width: 100, height: 30)])]
        let html = HTMLExport.document(title: "A <small> talk", scenes: scenes, theme: darkTheme)
        let cards = html.components(separatedBy: "<section class=\"f card\"").dropFirst().map { $0.components(separatedBy: "</section>")[0] }
        #expect(cards.count == 3)
        #expect(html.contains("<section class=\"f card\" id=\"f0\">"))
        #expect(cards[0].contains("<h1>A &lt;small&gt; talk</h1>"))
        #expect(cards[0].contains(">UPM basics</button>") && cards[0].contains(">GHCB (discard)</button>"))
        #expect(cards[1].contains("<h1>UPM basics</h1>"))
        #expect(cards[2].contains("<h1>GHCB (discard)</h1>"))
        #expect(cards[2].contains("variant discard: \(ghcb[discard].variant?.title ?? "?")"))
        #expect(cards[2].contains(ghcb[discard].config.kernel.label))
        for paragraph in ghcb[discard].scene.about {
            #expect(cards[2].contains("<p>" + ExportTestText.escaped(paragraph) + "</p>"))
        }
        if let source = ghcb[discard].scene.source { #expect(cards[2].contains(ExportTestText.escaped(source))) }
        #expect(!upm[0].scene.about.isEmpty && !ghcb[discard].scene.about.isEmpty)
        // Cards come before their scene's frames: f1 is the first scene's card, its frames follow.
        #expect(html.contains("id=\"f1\" hidden><p class=\"dim\">scene 1/2</p>"))
        #expect(html.contains("<pre class=\"f\" id=\"f2\" hidden>"))
        #expect(html.contains("id=\"f\(2 + upm[0].actionCount)\" hidden><p class=\"dim\">scene 2/2</p>"))
        #expect(htmlFrames(html).count == upm[0].actionCount + ghcb[discard].actionCount)
        #expect(html.contains("<select id=\"scene\""))
        let keymap = try #require(jsonScript(html, id: "keymap") as? [String: String])
        #expect(keymap["}"] == "nS" && keymap["{"] == "pS")
    }

    /// The page the html golden holds (GoldenTests.html), checked by hand: keep has 5 actions in
    /// steps of 3 and 2; discard 6, in steps of 3 and 3 (its VMM conversion also discards).
    @Test("the golden's two-variant page, by hand: 11 frames of 23 rows, its table of moves")
    func goldenByHand() throws {
        let tiny = sceneTraces("""
            title "Two variants"
            config kernel thread
            config upm on
            pfns 0x100..0x103
            page p gfn=0x10 shared
            step "Convert"
              guest psc p private
              kvm exit p
            step "Convert in the VMM"
              vmm convert p private
            variant keep "keep"
            variant discard "discard"
              set discard-on-convert on
            """)
        #expect(tiny.map(\.actionCount) == [5, 6])
        #expect(tiny.map(\.stepStart) == [[0, 3], [0, 3]])
        let runs = tiny.indices.map { RunFrames(traces: tiny, variant: $0, width: 80, height: 24) }
        let html = HTMLExport.document(title: "Two variants", scenes: [HTMLScene(title: "Two variants", variants: runs)], theme: darkTheme)
        let frames = htmlFrames(html)
        #expect(frames.count == 11)
        #expect(frames.allSatisfy { $0.split(separator: "\n", omittingEmptySubsequences: false).count == 23 })
        #expect(frames.allSatisfy { $0.hasSuffix("┘") }, "a frame does not end with the narration box")
        #expect(frames[0].hasPrefix(" variant 1/2 keep │ kernel thread │ step 1/2 │ action 1/5"))
        #expect(frames[10].hasPrefix(" variant 2/2 discard │ kernel thread │ step 2/2 │ action 6/6"))
        let nav = try #require(jsonScript(html, id: "nav") as? [String: Any])
        let table = try #require(nav["frames"] as? [[String: Any]])
        func move(_ f: Int, _ m: String) -> Int? { table[f][m] as? Int }
        // keep: frames 0–4 (steps at 0 and 3); discard: frames 5–10 (steps at 5 and 8).
        #expect(move(0, "n") == 1 && move(0, "p") == nil && move(0, "ns") == 3 && move(0, "l") == 4)
        #expect(move(3, "ns") == nil && move(3, "ps") == 0)
        #expect(move(4, "n") == nil && move(4, "ps") == 3 && move(4, "nv") == 9)
        #expect(move(9, "ps") == 8 && move(10, "nv") == 4, "step 2 of keep has 2 actions: offset 2 lands on its last")
        #expect(move(5, "nv") == 0 && move(5, "p") == nil && move(5, "f") == nil)
        #expect(table[10]["vs"] as? [Int] == [4, 10])
        #expect(table[7]["t"] as? String == "variant 2/2 discard · step 1/2 · action 3/6")
        let runTable = try #require(nav["runs"] as? [[String: Any]])
        #expect(runTable.map { $0["steps"] as? [Int] ?? [] } == [[0, 3], [5, 8]])
    }

    @Test("scene text is escaped: a <script> in a say string renders as &lt;script&gt;")
    func escapesSceneText() {
        let traces = sceneTraces(hostileScene)
        let html = HTMLExport.document(title: "<script>x</script>", scenes: [HTMLScene(title: "</script><b>", variants: [RunFrames(traces: traces, width: 120, height: 40)])],
                                       theme: darkTheme, titleCards: true)
        #expect(html.contains("&lt;script&gt;alert("))
        #expect(html.components(separatedBy: "<script").count == 4)
        #expect(html.components(separatedBy: "</script").count == 4)
        #expect(!html.contains("<b>"))
        #expect(html.contains("<title>&lt;script&gt;x&lt;/script&gt;</title>"))
        #expect(html.contains("<h1>&lt;/script&gt;&lt;b&gt;</h1>"))
        #expect(html.contains("\\u003c/script\\u003e\\u003cb\\u003e"))
    }
}

/// HTML escaping as the export writes it, for building expectations.
enum ExportTestText {
    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}

/// The JSON in `<script type="application/json" id="ID">`, parsed.
func jsonScript(_ html: String, id: String) -> Any? {
    guard let start = html.range(of: "<script type=\"application/json\" id=\"\(id)\">"),
          let end = html.range(of: "</script>", range: start.upperBound..<html.endIndex) else { return nil }
    return try? JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8))
}

/// A cast's lines parsed: the header object and the events.
func parseCast(_ cast: String) throws -> (header: [String: Any], events: [[Any]]) {
    var lines = cast.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.last == "")
    lines.removeLast()
    let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    let events = try lines.dropFirst().map { line in
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], "not an array: \(line.prefix(80))")
    }
    return (header, events)
}

@Suite("cast export")
struct CastTests {
    @Test("header, one output event per action at the interval, one marker per step with its title")
    func structure() throws {
        let traces = builtinTraces("ghcb-upm")
        // The discard variant: it panics in step 5 of 6, so there are fewer markers than steps.
        let discard = try #require(traces.firstIndex { $0.variant?.name == "discard" })
        let trace = traces[discard]
        #expect(trace.stepsRun == 5 && trace.stepCount == 6)
        let cast = CastExport.document([RunFrames(traces: traces, variant: discard, width: 120, height: 40)], title: "GHCB \"discard\"",
                                       interval: 0.5, theme: darkTheme)
        let (header, events) = try parseCast(cast)
        #expect(header["version"] as? Int == 2)
        #expect(header["width"] as? Int == 120)
        #expect(header["height"] as? Int == 40)
        #expect(header["title"] as? String == "GHCB \"discard\"")

        let outputs = events.filter { $0[1] as? String == "o" }
        let markers = events.filter { $0[1] as? String == "m" }
        #expect(events.allSatisfy { $0.count == 3 && $0[0] is Double && $0[2] is String })
        #expect(outputs.count == trace.actionCount)
        for (i, e) in outputs.enumerated() {
            let t = try #require(e[0] as? Double)
            #expect(abs(t - Double(i) * 0.5) < 1e-6, "event \(i) at \(t)")
        }
        let times = events.compactMap { $0[0] as? Double }
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })

        #expect(markers.count == trace.stepsRun)
        for (s, m) in markers.enumerated() {
            let start = trace.actions(ofStep: s).lowerBound
            #expect(m[2] as? String == "step \(s + 1): \(trace.scene.steps[s].title)")
            #expect(abs((m[0] as? Double ?? -1) - Double(start) * 0.5) < 1e-6)
        }
    }

    @Test("each output event repaints the whole frame: clear, home, then the ansi frame with CR LF")
    func repaints() throws {
        let traces = builtinTraces("upm-basics")
        let cast = CastExport.document([RunFrames(traces: traces, width: 100, height: 30)], title: "t", interval: 1, theme: darkTheme)
        let (_, events) = try parseCast(cast)
        let outputs = events.filter { $0[1] as? String == "o" }.compactMap { $0[2] as? String }
        let expected = viewerFrames(traces, variant: 0, width: 100, height: 30)
        #expect(outputs.count == expected.count)
        for (data, frame) in zip(outputs, expected) {
            #expect(data.hasPrefix("\u{1B}[H\u{1B}[2J"))
            let body = strippingSGR(String(data.dropFirst(7)))
            #expect(!body.hasSuffix("\r\n"))
            #expect(trimmingLineEnds(body.replacingOccurrences(of: "\r\n", with: "\n")) == frame)
        }
    }

    @Test("timestamps are exact decimals")
    func timestamps() throws {
        let traces = builtinTraces("upm-basics")
        let cast = CastExport.document([RunFrames(traces: traces, width: 100, height: 30, actions: [0, 1, 2, 3])], title: "t",
                                       interval: 0.1, theme: darkTheme)
        #expect(cast.contains("[0.300000, \"o\", "))
        #expect(!cast.contains("0.30000000000000004"))
    }
}
