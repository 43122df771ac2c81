@testable import Export
import Screen
import StepEngine
import Testing
import Viewer

@Suite("txt and ansi exports")
struct TextAndANSITests {
    @Test("every txt frame is the viewer's grid text, for every action of every ghcb-upm variant")
    func txtFramesAreTheViewersGrid() {
        let traces = builtinTraces("ghcb-upm")
        // Three variants on two kernels; discard ends early in a panic.
        #expect(traces.map { $0.variant?.name } == ["keep", "discard", "mainline"])
        for v in traces.indices {
            let document = TextExport.document([RunFrames(traces: traces, variant: v, width: 160, height: 45)])
            let frames = splitFrames(document)
            let expected = viewerFrames(traces, variant: v, width: 160, height: 45)
            #expect(frames.count == traces[v].actionCount)
            #expect(frames == expected)
            // A fresh viewer jumped straight to the action shows the same frame: nothing depends on the path.
            for a in [0, traces[v].actionCount / 2, traces[v].actionCount - 1] {
                guard var state = ViewerState(traces: traces, variant: v, width: 160, height: 45) else { continue }
                state.jump(to: a)
                #expect(frames[a] == state.render().text)
            }
        }
    }

    @Test("frames are separated by a line holding only a form feed, and the document ends with a newline")
    func formFeedSeparators() {
        let traces = builtinTraces("upm-basics")
        let document = TextExport.document([RunFrames(traces: traces, width: 100, height: 30, actions: [0, 1, 2])])
        let lines = document.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.filter { $0 == "\u{0C}" }.count == 2)
        #expect(lines.filter { $0.contains("\u{0C}") }.count == 2)
        #expect(document.hasSuffix("\n") && !document.hasSuffix("\n\n"))
        #expect(lines.count == 3 * 30 + 2 + 1)
    }

    @Test("--step N is the frame at the end of step N")
    func stepFrame() throws {
        let traces = builtinTraces("ghcb-upm")
        let trace = try #require(traces.first)
        let last = try #require(RunFrames.lastAction(ofStep: 2, in: trace))
        #expect(last == trace.actions(ofStep: 2).upperBound - 1)
        let document = TextExport.document([RunFrames(traces: traces, width: 120, height: 40, actions: [last])])
        var state = try #require(ViewerState(traces: traces, width: 120, height: 40))
        state.jump(to: last)
        #expect(splitFrames(document) == [state.render().text])
        #expect(document.contains("step 3/\(trace.stepCount)"))
        #expect(RunFrames.lastAction(ofStep: trace.stepCount, in: trace) == nil)
    }

    @Test("stripping the SGR sequences from an ansi frame gives the txt frame")
    func ansiStripsToText() {
        let traces = builtinTraces("ghcb-upm")
        for v in traces.indices {
            let run = RunFrames(traces: traces, variant: v, width: 160, height: 45)
            let ansi = splitFrames(ANSIExport.document([run], theme: darkTheme))
            let text = splitFrames(TextExport.document([run]))
            #expect(ansi.count == text.count)
            for (a, t) in zip(ansi, text) {
                #expect(trimmingLineEnds(strippingSGR(a)) == t)
                #expect(forbiddenControls(a).isEmpty)
            }
        }
    }

    @Test("ansi colours come from the theme; attributes are SGR 1, 2, 4, 7; every line ends in a reset")
    func ansiStyles() throws {
        let traces = builtinTraces("ghcb-upm")
        let frame = ANSIExport.frame(try #require(ViewerState(traces: traces, width: 160, height: 45)).render(), theme: darkTheme)
        let lines = frame.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 45)
        #expect(lines.allSatisfy { $0.hasSuffix("\u{1B}[0m") })
        let bg = darkTheme.background, fg = darkTheme.foreground
        #expect(frame.contains("38;2;\(fg.r);\(fg.g);\(fg.b);48;2;\(bg.r);\(bg.g);\(bg.b)m"))
        let title = darkTheme.resolved(Style(.title, attributes: [.bold])).fg
        #expect(frame.contains("\u{1B}[0;1;38;2;\(title.r);\(title.g);\(title.b);"))

        var sgr = SGRCache(theme: darkTheme)
        let all = sgr.sequence(for: Style(.changed, attributes: [.bold, .dim, .underline, .reverse]))
        #expect(all.hasPrefix("\u{1B}[0;1;2;4;7;38;2;"))
        // Reverse is SGR 7 over the unswapped colours: the terminal does the swap.
        let c = darkTheme.resolved(Style(.changed, attributes: []))
        #expect(all.hasSuffix("38;2;\(c.fg.r);\(c.fg.g);\(c.fg.b);48;2;\(c.bg.r);\(c.bg.g);\(c.bg.b)m"))
    }

    @Test("controls that slipped into cell text are written as U+FFFD, never sent")
    func controlsAreDefused() {
        #expect(ExportText.defused("a\u{1B}[2Jb\u{07}c\u{9B}d\u{7F}") == "a\u{FFFD}[2Jb\u{FFFD}c\u{FFFD}d\u{FFFD}")
        #expect(ExportText.defused("· é ─ 漢") == "· é ─ 漢")
        #expect(ExportText.xmlEscaped("<a href='x'>&\"</a>\u{0}") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;\u{FFFD}")
    }

    @Test("scene text with markup and tabs stays text in ansi: no controls but SGR and newlines")
    func hostileANSI() {
        let traces = sceneTraces(hostileScene)
        let ansi = ANSIExport.document([RunFrames(traces: traces, width: 100, height: 30)], theme: darkTheme)
        #expect(!ansi.isEmpty)
        #expect(forbiddenControls(ansi, allowed: [0x0A, 0x0C]).isEmpty)
        #expect(ansi.contains("<script>alert("))
    }
}
