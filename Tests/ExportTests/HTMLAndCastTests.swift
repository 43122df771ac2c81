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

@Suite("html export")
struct HTMLTests {
    @Test("one file with every frame of every variant, in order, as the viewer shows them")
    func everyFrameOfEveryVariant() {
        let traces = builtinTraces("ghcb-upm")
        let runs = traces.indices.map { RunFrames(traces: traces, variant: $0, width: 160, height: 45) }
        let html = HTMLExport.document(title: "ghcb", scenes: [HTMLScene(title: "ghcb-upm", variants: runs, start: 1)], theme: darkTheme)
        let expected = traces.indices.flatMap { viewerFrames(traces, variant: $0, width: 160, height: 45) }
        let frames = htmlFrames(html)
        #expect(frames.count == traces.map(\.actionCount).reduce(0, +))
        #expect(frames.map(trimmingLineEnds) == expected)
        // Only the first frame is visible before the script runs.
        #expect(html.components(separatedBy: "<pre class=\"f\" hidden>").count - 1 == frames.count - 1)
        #expect(html.contains("\"f\":1"))
    }

    @Test("nothing is fetched: no URLs, no external fonts, scripts or style sheets")
    func selfContained() {
        let traces = builtinTraces("upm-basics")
        let html = HTMLExport.document(title: "t", scenes: [HTMLScene(title: "s", variants: [RunFrames(traces: traces, width: 100, height: 30)])], theme: darkTheme)
        for bad in ["http://", "https://", "src=", "href=", "@import", "url(", "<link"] {
            #expect(!html.contains(bad), "contains \(bad)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
    }

    @Test("the page steps with the viewer's keys and shows them")
    func keysScript() {
        let traces = builtinTraces("upm-basics")
        let html = HTMLExport.document(title: "t", scenes: [HTMLScene(title: "s", variants: [RunFrames(traces: traces, width: 100, height: 30)])], theme: darkTheme)
        #expect(html.contains("addEventListener(\"keydown\""))
        for pair in ["\"ArrowRight\":\"next\"", "\" \":\"next\"", "\"l\":\"next\"", "\"n\":\"next\"",
                     "\"ArrowLeft\":\"previous\"", "\"h\":\"previous\"", "\"p\":\"previous\"",
                     "\"PageDown\":\"nextStep\"", "\"]\":\"nextStep\"", "\"PageUp\":\"previousStep\"", "\"[\":\"previousStep\"",
                     "\"g\":\"first\"", "\"G\":\"last\"", "\"v\":\"nextVariant\"", "\"V\":\"previousVariant\""] {
            #expect(html.contains(pair), "no \(pair)")
        }
        #expect(html.contains("<div id=\"keys\">keys: → l Space n next action"))
        #expect(html.contains("v next variant"))
        #expect(html.components(separatedBy: "<script>").count == 2)
    }

    @Test("scene text is escaped: a <script> in a say string renders as &lt;script&gt;")
    func escapesSceneText() {
        let traces = sceneTraces(hostileScene)
        let html = HTMLExport.document(title: "<script>x</script>", scenes: [HTMLScene(title: "</script><b>", variants: [RunFrames(traces: traces, width: 120, height: 40)])],
                                       theme: darkTheme)
        #expect(html.contains("&lt;script&gt;alert("))
        #expect(html.components(separatedBy: "<script").count == 2)
        #expect(html.components(separatedBy: "</script").count == 2)
        #expect(!html.contains("<b>"))
        #expect(html.contains("<title>&lt;script&gt;x&lt;/script&gt;</title>"))
        #expect(html.contains("\\u003c/script\\u003e\\u003cb\\u003e"))
    }
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
