import Screen
import TestSupport
import Testing

@Suite struct GridTests {
    @Test func putWritesAndReportsColumns() {
        var grid = Grid(width: 10, height: 2)
        let used = grid.put("hello", x: 2, y: 1, style: .header)
        #expect(used == 5)
        expectGrid(grid, "\n  hello")
        #expect(grid[2, 1].style == .header)
        #expect(grid[1, 1].style == .normal)
    }

    @Test func putClipsAtGridEdgeAndClipWidth() {
        var grid = Grid(width: 6, height: 1)
        #expect(grid.put("abcdefgh", x: 3, y: 0) == 3)
        #expect(grid.text == "   abc")
        var other = Grid(width: 10, height: 1)
        #expect(other.put("abcdefgh", x: 1, y: 0, clip: 4) == 4)
        #expect(other.text == " abcd")
    }

    @Test(arguments: [(-3, 0), (0, -1), (0, 5), (20, 0), (-100, -100), (Int.max / 2, 0)])
    func putOutsideNeverTraps(x: Int, y: Int) {
        var grid = Grid(width: 5, height: 3)
        grid.put("xyzzyplugh", x: x, y: y)
        grid.put("xyzzyplugh", x: x, y: y, clip: Int.max, truncation: .ellipsis)
        grid[x, y] = Cell("q")
        grid.fill(Rect(x: x, y: y, width: 100, height: 100), with: Cell("#"))
        #expect(grid[x, y] == .blank || grid.bounds.contains(x: x, y: y))
    }

    @Test func putFromNegativeXShowsTheRest() {
        var grid = Grid(width: 5, height: 1)
        #expect(grid.put("abcdef", x: -2, y: 0) == 6)
        #expect(grid.text == "cdef")
    }

    @Test func ellipsisMarksCutText() {
        var grid = Grid(width: 8, height: 1)
        grid.put("abcdefghij", x: 0, y: 0, clip: 6, truncation: .ellipsis)
        #expect(grid.text == "abcde…")
        var fits = Grid(width: 8, height: 1)
        fits.put("abcdef", x: 0, y: 0, clip: 6, truncation: .ellipsis)
        #expect(fits.text == "abcdef")
    }

    @Test(arguments: ["\u{1B}[31mred", "a\u{07}b", "tab\there", "c1\u{9B}x", "del\u{7F}", "cr\r\nlf"])
    func controlCharactersNeverReachTheGrid(input: String) {
        var grid = Grid(width: 20, height: 1)
        grid.put(input, x: 0, y: 0)
        for scalar in grid.text.unicodeScalars {
            #expect(!TextWidth.isControl(scalar), "control U+\(String(scalar.value, radix: 16)) in \(grid.text)")
        }
        #expect(grid.text.contains("\u{FFFD}"))
    }

    @Test func escapeSequenceBecomesVisibleReplacement() {
        var grid = Grid(width: 12, height: 1)
        grid.put("\u{1B}[2Jx", x: 0, y: 0)
        #expect(grid.text == "\u{FFFD}[2Jx")
    }

    @Test func cellInitSanitises() {
        #expect(Cell("\u{1B}").text == "\u{FFFD}")
        #expect(Cell("").text == " ")
        #expect(Cell("漢").text == "?")
    }

    @Test func wideCharactersTakeTwoColumns() {
        var grid = Grid(width: 8, height: 1)
        #expect(grid.put("a漢b", x: 0, y: 0) == 4)
        #expect(grid.text == "a漢b")
        #expect(grid[2, 0].isContinuation)
        #expect(grid[3, 0].text == "b")
    }

    @Test func wideCharacterThatDoesNotFitBecomesQuestionMark() {
        var grid = Grid(width: 3, height: 1)
        #expect(grid.put("ab漢", x: 0, y: 0) == 3)
        #expect(grid.text == "ab?")
        #expect(!grid[2, 0].isContinuation)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = Grid(width: 6, height: 1)
        grid.put("漢字", x: 0, y: 0)
        grid.put("x", x: 1, y: 0)
        #expect(grid.text == " x字")
        grid.put("y", x: 2, y: 0)
        #expect(grid.text == " xy")
        #expect(grid.cells.allSatisfy { !$0.isContinuation })
    }

    @Test func combiningMarksStayWithTheirBaseAndLoneOnesVanish() {
        var grid = Grid(width: 6, height: 1)
        let used = grid.put("e\u{301}x\u{200B}y", x: 0, y: 0)
        #expect(used == 3)
        #expect(grid[0, 0].text == "e\u{301}")
        #expect(grid.text == "e\u{301}xy")
        #expect(TextWidth.width(of: "\u{301}") == 0)
    }

    @Test func aCellKeepsACharacterAndItsMarksWhole() {
        // Four combining marks of three bytes each after a three-byte base: 15 bytes, more than a
        // cell keeps; the base and the first three marks (12 bytes) stay, never half a scalar.
        let marks = "\u{20D0}\u{20D1}\u{20D2}\u{20D3}"
        var grid = Grid(width: 4, height: 1)
        grid.put("ｱ" + marks + "z", x: 0, y: 0)
        #expect(grid[0, 0].text == "ｱ\u{20D0}\u{20D1}\u{20D2}")
        #expect(grid[1, 0].text == "z")
        // Two marks of two bytes each fit whole, and compare equal to the same text put again.
        grid.put("e\u{301}\u{308}", x: 2, y: 0)
        #expect(grid[2, 0].text == "e\u{301}\u{308}")
        #expect(grid[2, 0] == Cell("e\u{301}\u{308}"))
        #expect(grid[2, 0] != Cell("e\u{301}"))
        // A four-byte character, its continuation, and the single ASCII byte a cell can answer with.
        grid.put("🙂", x: 0, y: 0)
        #expect(grid[0, 0].text == "🙂" && grid[1, 0].isContinuation && grid[1, 0].text.isEmpty)
        #expect(grid[0, 0].asciiByte == nil && Cell("q").asciiByte == 0x71)
        var bytes: [UInt8] = []
        grid[0, 0].appendUTF8(to: &bytes)
        grid[1, 0].appendUTF8(to: &bytes)
        Cell("q").appendUTF8(to: &bytes)
        #expect(bytes == Array("🙂q".utf8))
    }

    @Test(arguments: [("abc", 3), ("漢字", 4), ("🙂", 2), ("é", 1), ("\u{7}", 1), ("ｱ", 1), ("Ａ", 2)])
    func widths(text: String, width: Int) {
        #expect(TextWidth.width(of: text) == width)
    }

    @Test func truncate() {
        #expect(TextWidth.truncate("abcdef", to: 4) == "abc…")
        #expect(TextWidth.truncate("abcdef", to: 4, ellipsis: false) == "abcd")
        #expect(TextWidth.truncate("漢字漢", to: 4) == "漢…")
        #expect(TextWidth.truncate("abc", to: 0) == "")
    }

    @Test func textTrimsTrailingSpacesAndKeepsRows() {
        var grid = Grid(width: 5, height: 3)
        grid.put("a  ", x: 0, y: 0)
        grid.put("b", x: 4, y: 2)
        #expect(grid.text == "a\n\n    b")
    }

    @Test func styledRunsCoverTheRowAndMergeStyles() {
        var grid = Grid(width: 8, height: 1)
        grid.put("ab", x: 0, y: 0, style: .changed)
        grid.put("漢", x: 2, y: 0, style: .changed)
        grid.put("c", x: 5, y: 0, style: .warning)
        let runs = grid.styledRuns(row: 0)
        #expect(runs.map(\.x) == [0, 4, 5, 6])
        #expect(runs.map(\.width) == [4, 1, 1, 2])
        #expect(runs[0].text == "ab漢")
        #expect(runs[0].style == .changed)
        #expect(runs.map(\.width).reduce(0, +) == grid.width)
    }

    @Test func restyleKeepsCharacters() {
        var grid = Grid(width: 4, height: 1)
        grid.put("abcd", x: 0, y: 0)
        grid.restyle(Rect(x: 1, y: 0, width: 2, height: 1), with: .selected)
        #expect(grid.text == "abcd")
        #expect(grid[1, 0].style == .selected && grid[3, 0].style == .normal)
    }

    @Test func drawCopiesAndClips() {
        var small = Grid(width: 3, height: 2)
        small.put("xyz", x: 0, y: 0)
        small.put("漢", x: 1, y: 1)
        var grid = Grid(width: 5, height: 3)
        grid.draw(small, x: 3, y: 1)
        expectGrid(grid, "\n   xy\n    ?")
    }

    @Test func monochromeLegibility() {
        #expect(Style.changed.attributes.contains([.bold, .reverse]))
        #expect(!Style.highlight.attributes.isEmpty)
        #expect(Style.selected.attributes.contains(.reverse))
        #expect(Style.Role(name: "notReached") == .notReached)
        #expect(Style.Role(name: "nope") == nil)
    }

    @Test func asciiFallbackLeavesOnlyAscii() {
        var grid = Grid(width: 12, height: 3)
        Box(title: "T→x").draw(in: Rect(width: 12, height: 3), on: &grid)
        grid.put("漢…", x: 1, y: 1)
        let ascii = grid.asciiFallback()
        let allASCII = ascii.text.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(allASCII)
        expectGrid(ascii, "+- T>x ----+\n|? ~       |\n+----------+")
    }
}
