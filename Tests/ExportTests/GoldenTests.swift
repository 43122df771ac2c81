import Export
import Screen
import StepEngine
import TestSupport
import Testing
import Viewer

/// Golden files for each format: upm-basics at 100x30, a few actions; a two-variant scene for html.
/// Re-record with RMPVIZ_RECORD=1 and read the diff before committing.
@Suite("export goldens")
struct GoldenTests {
    let traces = builtinTraces("upm-basics")
    var run: RunFrames { RunFrames(traces: traces, width: 100, height: 30, actions: [0, 2, 3]) }

    @Test func txt() { expectGolden(TextExport.document([run]), named: "upm-basics-100x30-txt") }
    @Test func ansi() { expectGolden(ANSIExport.document([run], theme: darkTheme), named: "upm-basics-100x30-ansi") }
    @Test func cast() {
        expectGolden(CastExport.document([run], title: "UPM basics", interval: 1.5, theme: darkTheme), named: "upm-basics-100x30-cast")
    }

    @Test func svg() throws {
        var state = try #require(ViewerState(traces: traces, width: 100, height: 30))
        state.jump(to: traces[0].actionCount - 1)
        expectGolden(SVGExport.document(state.render(), theme: darkTheme, title: "UPM basics, last action"), named: "upm-basics-100x30-svg")
    }

    @Test func html() {
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
        let runs = tiny.indices.map { RunFrames(traces: tiny, variant: $0, width: 80, height: 24) }
        expectGolden(HTMLExport.document(title: "Two variants", scenes: [HTMLScene(title: "Two variants", variants: runs)], theme: darkTheme),
                     named: "two-variants-80x24-html")
    }
}
