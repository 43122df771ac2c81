import Screen
import TestSupport
import Testing

@Suite struct WidgetTests {
    @Test func boxWithTitle() {
        var grid = Grid(width: 16, height: 4)
        let inner = Box(title: "RMP").draw(in: Rect(x: 1, y: 0, width: 14, height: 4), on: &grid)
        #expect(inner == Rect(x: 2, y: 1, width: 12, height: 2))
        expectGrid(grid, """
             ┌─ RMP ──────┐
             │            │
             │            │
             └────────────┘
            """)
        #expect(grid[4, 0].style == .title)
        #expect(grid[1, 0].style == .border)
    }

    @Test func longTitleIsCutWithEllipsisAndKeepsCorner() {
        var grid = Grid(width: 12, height: 2)
        Box(title: "A very long title", ascii: true).draw(in: grid.bounds, on: &grid)
        expectGrid(grid, """
            +- A ver… -+
            +----------+
            """)
    }

    @Test func tinyBoxIsLeftAlone() {
        var grid = Grid(width: 3, height: 3)
        #expect(Box().draw(in: Rect(width: 1, height: 3), on: &grid).isEmpty)
        #expect(grid.text == "\n\n")
    }

    func table(rows: Int, offset: Int = 0, calls: Counter? = nil) -> TableWidget {
        TableWidget(
            columns: [
                .init("PFN", width: .fixed(5), alignment: .right),
                .init("State", width: .weight(1)),
                .init("Owner", width: .fixed(6)),
            ],
            rowCount: rows, scrollOffset: offset,
            rowStyle: { $0 == 3 ? .highlight : nil }
        ) { i in
            calls?.count += 1
            return [CellText("\(i)"), CellText(i % 2 == 0 ? "private-assigned" : "shared", style: i == 2 ? .changed : nil), "guest"]
        }
    }

    final class Counter { var count = 0 }

    @Test func tableShowsHeaderAndRowsWithoutScrollBarWhenAllFit() {
        var grid = Grid(width: 30, height: 5)
        let layout = table(rows: 3).draw(in: grid.bounds, on: &grid)
        #expect(layout.visibleRows == 0..<3)
        #expect(!layout.hasScrollBar)
        expectGrid(grid, """
              PFN State             Owner
                0 private-assigned  guest
                1 shared            guest
                2 private-assigned  guest

            """)
        #expect(grid[0, 0].style == .header)
        #expect(grid[6, 3].style == .changed)
        #expect(grid[0, 3].style == .normal)
    }

    @Test func tableDrawsOnlyTheVisibleWindowAndAScrollBar() {
        var grid = Grid(width: 24, height: 5)
        let calls = Counter()
        let layout = table(rows: 1_000_000, offset: 2, calls: calls).draw(in: grid.bounds, on: &grid)
        #expect(calls.count == 4)
        #expect(layout.visibleRows == 2..<6)
        #expect(layout.hasScrollBar)
        #expect(layout.rowIndex(atY: 2) == 3)
        #expect(layout.rowIndex(atY: 0) == nil)
        expectGrid(grid, """
              PFN State      Owner
                2 private-a… guest ▲
                3 shared     guest █
                4 private-a… guest ░
                5 shared     guest ▼
            """)
        #expect(grid[10, 2].style == .highlight)
    }

    @Test func tableOffsetIsClampedAtTheEnd() {
        var grid = Grid(width: 24, height: 4)
        let layout = table(rows: 10, offset: 50, ascii: true).draw(in: grid.bounds, on: &grid)
        #expect(layout.visibleRows == 7..<10)
        expectGrid(grid, """
              PFN State      Owner
                7 shared     guest ^
                8 private-a… guest #
                9 shared     guest :
            """)
    }

    func table(rows: Int, offset: Int, ascii: Bool) -> TableWidget {
        var t = table(rows: rows, offset: offset)
        t.ascii = ascii
        return t
    }

    @Test func narrowTableClipsColumns() {
        var grid = Grid(width: 9, height: 2)
        table(rows: 1).draw(in: grid.bounds, on: &grid)
        expectGrid(grid, """
              PFN St…
                0 pr…
            """)
    }

    @Test func scrollOffsetKeepsRowVisible() {
        #expect(TableWidget.scrollOffset(keeping: 0, visible: 5, current: 3, count: 20) == 0)
        #expect(TableWidget.scrollOffset(keeping: 9, visible: 5, current: 0, count: 20) == 5)
        #expect(TableWidget.scrollOffset(keeping: 6, visible: 5, current: 4, count: 20) == 4)
        #expect(TableWidget.scrollOffset(keeping: 19, visible: 5, current: 0, count: 20) == 15)
        #expect(TableWidget.scrollOffset(keeping: 2, visible: 5, current: 7, count: 3) == 0)
    }

    @Test func textBoxWrapsAtWords() {
        #expect(TextBox.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(TextBox.wrap("abcdefghijkl xy", width: 5) == ["abcde", "fghij", "kl xy"])
        #expect(TextBox.wrap("", width: 5) == [""])
        #expect(TextBox.wrap("漢字漢字", width: 5) == ["漢字", "漢字"])
        #expect(TextBox.wrap("漢", width: 1) == ["?"])
    }

    @Test func textBoxDrawsParagraphsAndMarksTruncation() {
        var grid = Grid(width: 14, height: 3)
        let box = TextBox(paragraphs: [
            "The guest accepts the page.", CellText("RMP entry changed.", style: .changed),
        ])
        let used = box.draw(in: Rect(x: 1, y: 0, width: 12, height: 3), on: &grid)
        #expect(used == 3)
        expectGrid(grid, """
             The guest
             accepts the
             page.…
            """)
        var tall = Grid(width: 14, height: 6)
        #expect(box.draw(in: Rect(x: 0, y: 0, width: 12, height: 6), on: &tall) == 5)
        #expect(tall.rowText(3) == "RMP entry")
        #expect(tall[0, 3].style == .changed)
    }

    @Test func bannerIsCentredAndFramed() {
        var grid = Grid(width: 24, height: 7)
        grid.fill(grid.bounds, with: Cell("."))
        let rect = Banner(title: "Fault", lines: ["#NPF at 0x1000", CellText("RMP violation", style: .error)])
            .draw(over: grid.bounds, on: &grid)
        #expect(rect == Rect(x: 3, y: 0, width: 18, height: 6))
        expectGrid(grid, """
            ...┌─ Fault ────────┐...
            ...│                │...
            ...│ #NPF at 0x1000 │...
            ...│ RMP violation  │...
            ...│                │...
            ...└────────────────┘...
            ........................
            """)
        #expect(grid[5, 3].style == .error)
        #expect(grid[5, 2].style == .banner)
    }

    @Test func bannerDropsPaddingThenLinesWhenShort() {
        var grid = Grid(width: 14, height: 4)
        Banner(lines: ["one", "two", "three"], ascii: true).draw(over: grid.bounds, on: &grid)
        expectGrid(grid, """
              +-------+
              |  one  |
              | two…  |
              +-------+
            """)
    }
}

/// A box wraps a long paragraph only as far as it shows: what it draws is the full wrapping's
/// first lines, the last cut with "…".
@Suite struct TextBoxLimitTests {
    @Test(arguments: [1, 3, 5])
    func aLongParagraphDrawsTheFullWrappingsFirstLines(height: Int) {
        let words = (0..<5000).map { "w\($0 % 97)" + String(repeating: "x", count: $0 % 7) }
        let text = words.joined(separator: " ")
        let full = TextBox.wrap(text, width: 30)
        #expect(full.count > 100)
        var grid = Grid(width: 30, height: height)
        let shown = TextBox(paragraphs: [CellText(text)]).draw(in: Rect(width: 30, height: height), on: &grid)
        #expect(shown == height)
        for y in 0..<height - 1 { #expect(grid.rowText(y) == full[y], "line \(y)") }
        let last = grid.rowText(height - 1)
        #expect(last.hasSuffix("…"), "the last line says there is more: \(last)")
        #expect(full[height - 1].hasPrefix(String(last.dropLast())), "\(last) vs \(full[height - 1])")
    }
}
