import Foundation
import Screen
import Testing

/// Scene strings' `\n` and `\t` in narration: a line break and four spaces, never a control
/// character on the grid.
@Suite struct NarrationEscapeTests {
    @Test func aLineBreakStartsANewLineAndATabKeepsItsWidth() {
        #expect(TextBox.wrap("one\ntwo", width: 20) == ["one", "two"])
        #expect(TextBox.wrap("a\tb", width: 20) == ["a\u{00A0}\u{00A0}\u{00A0}\u{00A0}b"])
        #expect(TextBox.wrap("first line is long\nx", width: 10) == ["first line", "is long", "x"])
        #expect(TextBox.wrap("end\n", width: 10) == ["end", ""], "a trailing break leaves an empty line")
    }

    @Test func noControlCharacterReachesTheGrid() {
        var grid = Grid(width: 30, height: 5)
        _ = TextBox(paragraphs: [CellText("tab\there\nnext")]).draw(in: Rect(x: 0, y: 0, width: 30, height: 5), on: &grid)
        let text = grid.text
        #expect(text.replacingOccurrences(of: "\u{00A0}", with: " ").contains("tab    here"), "four columns for the tab")
        #expect(text.components(separatedBy: "\n")[1].hasPrefix("next"))
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(!text.contains("\u{FFFD}"))
    }
}
