// The comparison view (issue 11): two runs of one scene side by side, frame rows aligned by gfn,
// cells that differ marked with ≠ (ASCII: !) in the gutter before them on both halves.
// Goldens re-record with RMPVIZ_RECORD=1 swift test --filter CompareViewTests; read each one.
import MemoryModel
import Screen
import StepEngine
import Testing
import TestSupport
@testable import Viewer

/// Comparison fixtures: a built-in scene's variant on the left, a side opened on the right.
enum CompareFixture {
    static func variant(_ scene: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Int {
        let traces = try #require(Fixture.runs[scene], sourceLocation: sourceLocation)
        return try #require(traces.firstIndex { $0.variant?.name == name }, "\(scene) has no variant \(name)",
                            sourceLocation: sourceLocation)
    }

    static func state(_ scene: String, left: String, right: CompareSide, width: Int = 160, height: Int = 45,
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ViewerState {
        var s = try Fixture.state(scene, variant: try variant(scene, left, sourceLocation: sourceLocation),
                                  width: width, height: height, sourceLocation: sourceLocation)
        let opened = s.openComparison(right)
        try #require(opened, "cannot open the comparison: \(s.message ?? "")", sourceLocation: sourceLocation)
        return s
    }

    /// ghcb-upm keep (mainline) against discard (kernel thread).
    static func keepDiscard(width: Int = 160, height: Int = 45) throws -> ViewerState {
        try state("ghcb-upm", left: "keep", right: .variant("discard"), width: width, height: height)
    }

    /// The first action of a step (0-based) on the left.
    static func firstAction(of step: Int, _ s: ViewerState) -> Int { s.trace.actions(ofStep: step).lowerBound }
}

/// A screen's text as rows of cells (every character on these screens is one cell wide), so a
/// column found in one row is the same screen column in another.
struct ScreenText {
    let rows: [[Character]]
    let width: Int

    init(_ grid: Grid) {
        // The text form drops trailing spaces: pad each row back to the grid's width.
        width = grid.width
        rows = grid.lines.enumerated().map { y, line in
            let r = Array(line)
            #expect(r.count <= grid.width, "row \(y) is not one character per cell: \(line)")
            return r + Array(repeating: " ", count: max(0, grid.width - r.count))
        }
    }

    func text(_ y: Int, _ columns: Range<Int>) -> String {
        let r = rows[y]
        return String(r[max(0, columns.lowerBound)..<min(r.count, columns.upperBound)])
    }

    /// The table box titled `title` (a prefix of its title: frame tables add "by gfn") drawn in
    /// `columns`, found by its title in the top border.
    func table(_ title: String, in columns: Range<Int>) -> DrawnTable? {
        let corners: Set<Character> = ["┌", "+"], rights: Set<Character> = ["┐", "+"], lines: Set<Character> = ["─", "-", " "]
        for y in rows.indices {
            let slice = text(y, columns)
            guard let r = slice.range(of: "  \(title)") else { continue }
            let start = columns.lowerBound + slice.distance(from: slice.startIndex, to: r.lowerBound)
            // The corner to the left, with only border and spaces between.
            var x = start
            while x > columns.lowerBound, lines.contains(rows[y][x - 1]) { x -= 1 }
            guard x > columns.lowerBound, corners.contains(rows[y][x - 1]) else { continue }
            let left = x - 1
            guard let right = (start..<columns.upperBound).first(where: { rights.contains(rows[y][$0]) }) else { continue }
            return DrawnTable(screen: self, top: y, left: left, right: right)
        }
        return nil
    }
}

/// One table box as drawn: its title line, header line and rows, by screen position.
struct DrawnTable {
    let screen: ScreenText
    let top: Int
    let left: Int
    let right: Int

    var inner: Range<Int> { (left + 1)..<right }
    var header: String { screen.text(top + 1, inner) }

    /// The screen column where a header starts.
    func column(of name: String) -> Int? {
        guard let c = textColumn(of: name, in: header) else { return nil }
        return left + 1 + c
    }

    /// The body rows: (screen row, the text between the borders).
    var body: [(y: Int, text: String)] {
        var out: [(Int, String)] = []
        var y = top + 2
        while y < screen.rows.count, !["└", "+"].contains(screen.rows[y][left]) {
            out.append((y, screen.text(y, inner)))
            y += 1
        }
        return out
    }

    /// The row whose key cell (its first column) is `key`.
    func row(_ key: String) -> (y: Int, text: String)? {
        body.first { $0.text.hasPrefix(key + " ") }
    }

    func cell(_ y: Int, _ x: Int) -> Character { screen.rows[y][x] }
}

/// `column(of:in:)` of ViewerFixtures, under a name `DrawnTable.column(of:)` does not hide.
private func textColumn(of needle: String, in line: String) -> Int? { column(of: needle, in: line) }

@Suite struct CompareViewTests {
    // MARK: - Goldens

    /// keep against discard at 160×45: the first action, the first action of the step after the
    /// one where they first differ, the last action (discard never reaches step 6).
    @Test func goldenKeepAgainstDiscard() throws {
        var s = try CompareFixture.keepDiscard()
        let c = try #require(s.compared)
        let d = try #require(c.comparison.divergence, "keep and discard differ")
        #expect(d.step == 1, "they first differ at step 2 (kvm map: pin on mainline, kmap on thread)")

        s.jump(to: 0)
        var text = s.render().text
        expectGolden(text, named: "compare-ghcb-upm-keep-discard-160x45-first")
        #expect(text.components(separatedBy: "\n")[0].contains("keep · mainline ⇄ discard · thread"))
        #expect(text.contains("action 1/\(s.trace.actionCount) ⇄ 1/\(c.trace.actionCount)"))

        let after = CompareFixture.firstAction(of: d.step + 1, s)
        s.jump(to: after)
        text = s.render().text
        expectGolden(text, named: "compare-ghcb-upm-keep-discard-160x45-after-divergence")
        #expect(text.contains("step \(d.step + 2)/6"))
        #expect(text.contains("≠"), "past the divergence some cell differs")

        s.jump(to: s.trace.actionCount - 1)
        text = s.render().text
        expectGolden(text, named: "compare-ghcb-upm-keep-discard-160x45-last")
        #expect(text.contains("worst: double-allocation ⇄ host-panic"))
        #expect(text.contains("not reached"), "discard never reaches step 6")
    }

    /// discard against itself on mainline, at 120×35, four steps on: step 5, where discard panics.
    @Test func goldenDiscardAgainstMainlineKernel() throws {
        var s = try CompareFixture.state("ghcb-upm", left: "discard", right: .settings([.init(key: .kernel, value: "mainline")]),
                                         width: 120, height: 35)
        for _ in 0..<4 { s.handle(.char("]")) }
        #expect(s.step == 4)
        let text = s.render().text
        expectGolden(text, named: "compare-ghcb-upm-discard-kernel-mainline-120x35-step5")
        let top = text.components(separatedBy: "\n")[0]
        #expect(top.contains("discard: thread ⇄ mainline"), "one variant on two kernels: \(top)")
        #expect(top.contains("step 5/6"))
        #expect(top.contains("host-panic ⇄ lost-write"), "\(top)")
        #expect(text.contains("right: discard · mainline"))
        #expect(text.contains("Kernel panic"), "the left's ending is shown on its side")
    }

    // MARK: - The top line

    @Test func topLineNamesBothSides() throws {
        let two = try CompareFixture.keepDiscard().render().lines[0]
        #expect(two.contains("keep · mainline ⇄ discard · thread"), "two variants on two kernels: \(two)")
        let kernels = try CompareFixture.state("ghcb-upm", left: "discard", right: .settings([.init(key: .kernel, value: "mainline")]))
            .render().lines[0]
        #expect(kernels.contains("discard: thread ⇄ mainline"), "one variant on two kernels: \(kernels)")
        // Two variants on one kernel: the kernel once.
        let oneKernel = try CompareFixture.state("ghcb-upm", left: "keep", right: .variant("mainline")).render().lines[0]
        #expect(oneKernel.contains("keep ⇄ mainline · mainline"), "\(oneKernel)")
        #expect(!two.contains("variant 1/3"), "the single run's variant counter gives way to both names")
    }

    // MARK: - Difference marks

    /// At the first action of step 4 keep still has 0x100 in gfn 0x10's shared fd and discard has
    /// punched it out: the frame cell of that row is marked on both halves, right before the value.
    @Test func aFrameKeptOnOneSideAndAHoleOnTheOtherIsMarkedOnBothHalves() throws {
        var s = try CompareFixture.keepDiscard()
        s.jump(to: CompareFixture.firstAction(of: 3, s))
        let c = try #require(s.compared)
        // What the rows must show: keep holds pfn 0x100 in the shared fd, discard a hole.
        let slot = try #require(s.world.geometry.slot(ofGFN: 0x10))
        #expect(s.world.geometry.pfn(s.world.pages[slot].sharedFrame) == 0x100)
        #expect(c.cursor.world.pages[slot].sharedFrame < 0)

        let screen = ScreenText(s.render())
        let mid = s.compareLayout.sides[1].area.x
        for (half, expected) in [(0..<mid, "0x100"), (mid..<screen.width, "hole")] {
            let table = try #require(screen.table("shared fd", in: half), "no shared fd on columns \(half)")
            let frame = try #require(table.column(of: "frame"), "no frame column: \(table.header)")
            let row = try #require(table.row("0x10"), "no row for gfn 0x10")
            #expect(table.cell(row.y, frame - 1) == "≠", "no ≠ before the frame cell on \(half): \(row.text)")
            #expect(screen.text(row.y, frame..<(frame + expected.count)) == expected, "\(row.text)")
            // The row of gfn 0x30 is the same on both sides: no mark anywhere in it.
            let heap = try #require(table.row("0x30"))
            #expect(!heap.text.contains("≠"), "gfn 0x30 is alike on both sides: \(heap.text)")
        }
    }

    @Test func aRowAlikeOnBothSidesIsNotMarked() throws {
        let s = try CompareFixture.keepDiscard()
        #expect(s.index == 0)
        let screen = ScreenText(s.render())
        let mid = s.compareLayout.sides[1].area.x
        for half in [0..<mid, mid..<screen.width] {
            let table = try #require(screen.table("shared fd", in: half))
            let heap = try #require(table.row("0x30"), "no row for gfn 0x30 on \(half)")
            #expect(heap.text.contains("hole"))
            #expect(!heap.text.contains("≠"), "\(heap.text)")
        }
        #expect(!screen.rows.dropFirst(2).contains { $0.contains("≠") }, "nothing differs at the first action")
    }

    /// lifo and lowest hand gfn 0x20 different frames (0x101 and 0x100): the rows line up by gfn and
    /// the frame numbers alone are no difference.
    @Test func differentFrameNumbersForTheSameGfnAreNoDifference() throws {
        let text = TestScenes.freeAndReuse()
        var s = try Fixture.state(text: text)
        let opened = s.openComparison(.variant("lowest"))
        try #require(opened)
        s.jump(to: s.trace.actionCount - 1)
        let c = try #require(s.compared)
        #expect(s.world.pages[2].sharedFrame == 1 && c.cursor.world.pages[2].sharedFrame == 0,
                "b: lifo reuses c's frame 0x101, lowest a's 0x100")
        let screen = ScreenText(s.render())
        let mid = s.compareLayout.sides[1].area.x
        for (half, frame) in [(0..<mid, "0x101"), (mid..<screen.width, "0x100")] {
            let fd = try #require(screen.table("shared fd", in: half))
            let row = try #require(fd.row("0x20"), "no shared fd row of gfn 0x20")
            #expect(row.text.contains(frame), "\(row.text)")
            #expect(!row.text.contains("≠"), "frame numbers alone are no difference: \(row.text)")
            let rmp = try #require(screen.table("RMP table", in: half))
            let aligned = try #require(rmp.row("s 0x20"), "no RMP row for b's shared frame")
            #expect(aligned.text.contains(frame), "\(aligned.text)")
            #expect(!aligned.text.contains("≠"), "\(aligned.text)")
            let dm = try #require(screen.table("host direct map", in: half))
            #expect(!screen.text(aligned.y, dm.inner).contains("≠"), "the direct map's row of b is alike too")
        }
    }

    // MARK: - Layout

    @Test func wideScreenShowsAllFourTablesOnEachSide() throws {
        let s = try CompareFixture.keepDiscard()
        #expect(s.compareLayout.tablesPerSide == 4)
        let screen = ScreenText(s.render())
        let mid = s.compareLayout.sides[1].area.x
        #expect(abs(mid - 80) <= 1, "the halves are even")
        for half in [0..<mid, mid..<screen.width] {
            for title in ["RMP table by gfn", "host direct map by gfn", "shared fd", "private fd"] {
                #expect(screen.table(title, in: half) != nil, "no '\(title)' on columns \(half)")
            }
        }
    }

    @Test func mediumScreenShowsOnePairPerSideAndTabSwitchesBoth() throws {
        var s = try CompareFixture.keepDiscard(width: 120, height: 35)
        #expect(s.compareLayout.tablesPerSide == 2)
        let mid = s.compareLayout.sides[1].area.x
        var screen = ScreenText(s.render())
        for half in [0..<mid, mid..<screen.width] {
            let rmp = try #require(screen.table("RMP table", in: half), "no RMP table on \(half)")
            let dm = try #require(screen.table("host direct map", in: half), "no direct map on \(half)")
            #expect(dm.top > rmp.top, "the pair is stacked")
            #expect(screen.table("shared fd", in: half) == nil && screen.table("private fd", in: half) == nil)
        }
        s.handle(.tab)
        #expect(s.focus == .sharedFD)
        screen = ScreenText(s.render())
        for half in [0..<mid, mid..<screen.width] {
            #expect(screen.table("shared fd", in: half) != nil, "Tab shows the fds on \(half)")
            #expect(screen.table("private fd", in: half) != nil)
            #expect(screen.table("RMP table", in: half) == nil, "the RMP table gives way on \(half)")
            #expect(screen.table("host direct map", in: half) == nil)
        }
        // Tab again: back to the frame tables.
        s.handle(.tab)
        #expect(s.focus == .rmp)
        #expect(ScreenText(s.render()).table("RMP table", in: 0..<mid) != nil)
    }

    /// 100×30: whatever the tables give way, each side keeps its narration box and the step's
    /// text is shown once, at every step. (An ending's banner may cover a side, as on a single run:
    /// there the boxes are checked with the banner hidden by `o`.)
    @Test func narrowScreenKeepsANarrationBoxPerSideAndTheStepText() throws {
        var s = try CompareFixture.keepDiscard(width: 100, height: 30)
        let mid = s.compareLayout.sides[1].area.x
        func check(_ s: ViewerState, _ what: String) throws {
            let grid = s.render()
            let text = grid.text, screen = ScreenText(grid)
            #expect(!text.contains("terminal too small"))
            let leftBox = (0..<screen.rows.count).contains { screen.text($0, 0..<mid).contains("┌─  left: keep · mainline") }
            let rightBox = (0..<screen.rows.count).contains { screen.text($0, mid..<screen.width).contains("┌─  right: discard · thread") }
            #expect(leftBox && rightBox, "\(what): a narration box per side\n\(text)")
            #expect(text.contains("step \(s.step + 1)/6: \(s.scene.steps[s.step].title)"), "\(what): the step's box\n\(text)")
            let say = String(try #require(s.scene.steps[s.step].say.first).prefix(30))
            #expect(text.components(separatedBy: say).count == 2, "\(what): the step's text, once\n\(text)")
        }
        for step in 0..<s.trace.stepCount {
            s.jump(to: CompareFixture.firstAction(of: step, s))
            let c = try #require(s.compared)
            let ending = s.index == s.trace.actionCount - 1 || c.cursor.index == c.trace.actionCount - 1
            if !ending { try check(s, "step \(step + 1)") }
            s.handle(.char("o"))
            try check(s, "step \(step + 1), banner hidden")
        }
        #expect(s.step == 5)
    }

    // MARK: - Stepping

    /// The right follows the left: after `]` it is at the first action of the same step, after `→`
    /// at the same offset within it.
    @Test func theRightFollowsTheLeftStepByStep() throws {
        var s = try CompareFixture.state("ghcb-upm", left: "keep", right: .variant("mainline"))
        for _ in 1..<s.trace.stepCount {
            s.handle(.char("]"))
            let c = try #require(s.compared)
            let range = c.trace.actions(ofStep: s.step)
            #expect(c.cursor.index == range.lowerBound, "step \(s.step + 1): the right is at \(c.cursor.index), not \(range.lowerBound)")
            #expect(!c.stepNotReached)
            #expect(s.render().lines[0].contains("\(s.index + 1)/\(s.trace.actionCount) ⇄ \(c.cursor.index + 1)/\(c.trace.actionCount)"))
        }
        // Back a step, then one action on: the same offset within the step.
        s.handle(.char("["))
        s.handle(.right)
        let c = try #require(s.compared)
        let offset = s.index - s.trace.actions(ofStep: s.step).lowerBound
        let range = c.trace.actions(ofStep: s.step)
        #expect(offset == 1)
        #expect(c.cursor.index == min(range.lowerBound + offset, range.upperBound - 1))
    }

    /// mainline on the left runs all six steps; discard panics in step 5: at step 6 the right says
    /// it never got there and shows its last action.
    @Test func aStepTheRightNeverReachesSaysSo() throws {
        var s = try CompareFixture.state("ghcb-upm", left: "mainline", right: .variant("discard"))
        let right = try #require(s.compared).trace
        #expect(right.stepsRun == 5 && !right.isReached(step: 5))
        s.jump(to: CompareFixture.firstAction(of: 4, s))
        var text = s.render().text
        #expect(s.compared?.stepNotReached == false)
        #expect(!text.contains("not reached on"), "step 5 is reached on both sides")
        s.handle(.char("]"))
        #expect(s.step == 5)
        let c = try #require(s.compared)
        #expect(c.stepNotReached)
        #expect(c.cursor.index == right.actionCount - 1, "the right shows its ending")
        let mid = s.compareLayout.sides[1].area.x
        func says(_ s: ViewerState, _ columns: Range<Int>, _ words: String) -> Bool {
            let screen = ScreenText(s.render())
            return (0..<screen.rows.count).contains { screen.text($0, columns).contains(words) }
        }
        // The right's panic banner (over its whole half at this size) says it; the left says nothing.
        text = s.render().text
        #expect(says(s, mid..<s.width, "not reached") && !says(s, 0..<mid, "not reached"), "only the right half says not reached\n\(text)")
        #expect(text.components(separatedBy: "\n")[0].contains("⇄ -/\(right.actionCount)"), "no action counter for the right")
        // Under the banner, the right's narration box says it too.
        s.handle(.char("o"))
        text = s.render().text
        #expect(says(s, mid..<s.width, "right: discard · thread: step 6/6 not reached"), "\(text)")
        #expect(says(s, mid..<s.width, "the run ended at step 5"), "\(text)")
        #expect(says(s, 0..<mid, "left: mainline · mainline"), "the left narrates its own step 6\n\(text)")
        // And back: reached again.
        s.handle(.char("["))
        #expect(s.compared?.stepNotReached == false)
    }

    // MARK: - Keys while comparing

    @Test func cClosesTheComparison() throws {
        var s = try CompareFixture.keepDiscard()
        s.jump(to: 5)
        s.handle(.char("c"))
        #expect(s.compared == nil)
        #expect(s.index == 5, "closing does not move")
        let text = s.render().text
        #expect(!text.contains("⇄") && !text.contains("≠"))
        #expect(!text.contains("RMP table by gfn"), "the frame tables are by frame again")
        #expect(text.contains("variant 1/3 keep"))
        #expect(s.rowCount(.rmp) == s.world.geometry.frameCount)
    }

    /// `v` keeps the comparison: the same right side against the new left; when the left becomes
    /// the right's variant the right moves on to the next candidate.
    @Test func vKeepsTheComparison() throws {
        var s = try CompareFixture.state("ghcb-upm", left: "keep", right: .variant("mainline"))
        s.jump(to: CompareFixture.firstAction(of: 2, s))
        s.handle(.char("v"))
        #expect(s.trace.variant?.name == "discard")
        var c = try #require(s.compared, "v closed the comparison")
        #expect(c.side == .variant("mainline"))
        #expect(c.comparison.left === s.trace, "the comparison is rebuilt against the new left")
        #expect(c.comparison.right === c.trace)
        #expect(c.trace.actions(ofStep: s.step).contains(c.cursor.index), "the right is at the left's step")
        #expect(s.render().lines[0].contains("discard · thread ⇄ mainline · mainline"))
        // The left becomes mainline, the right's variant: the right moves on.
        s.handle(.char("v"))
        #expect(s.trace.variant?.name == "mainline")
        c = try #require(s.compared)
        #expect(c.side != .variant("mainline"), "a run is not compared with itself")
        #expect(c.side == CompareSide.candidates(for: s.trace).first)
        #expect(c.comparison.left === s.trace)
    }

    @Test func kKeepsTheComparison() throws {
        var s = try CompareFixture.keepDiscard()
        s.jump(to: 3)
        s.handle(.char("K"))
        #expect(s.trace.config.kernel == .thread, "keep re-runs under the next kernel after mainline")
        let c = try #require(s.compared, "K closed the comparison")
        #expect(c.side == .variant("discard"))
        #expect(c.comparison.left === s.trace)
        #expect(s.render().lines[0].contains("keep ⇄ discard · thread"), "\(s.render().lines[0])")
    }

    // MARK: - ASCII

    @Test func asciiMarksDifferencesWithBangAndIsAllASCII() throws {
        var s = try CompareFixture.keepDiscard()
        s.jump(to: CompareFixture.firstAction(of: 3, s))
        s.ascii = true
        let grid = s.render()
        let text = grid.text
        let odd = text.unicodeScalars.filter { !$0.isASCII }
        #expect(odd.isEmpty, "non-ASCII characters: \(String(String.UnicodeScalarView(odd)))")
        #expect(!text.contains("≠"))
        let screen = ScreenText(grid)
        let mid = s.compareLayout.sides[1].area.x
        for half in [0..<mid, mid..<screen.width] {
            let table = try #require(screen.table("shared fd", in: half), "no shared fd on \(half)\n\(text)")
            let frame = try #require(table.column(of: "frame"))
            let row = try #require(table.row("0x10"))
            #expect(table.cell(row.y, frame - 1) == "!", "\(row.text)")
        }
    }

    /// The legend of the divergence line names the mark the tables use, in ASCII too.
    @Test func asciiLegendNamesTheMarkTheTablesUse() throws {
        var s = try CompareFixture.keepDiscard()
        s.jump(to: CompareFixture.firstAction(of: 3, s))
        s.ascii = true
        let line = s.render().lines[1]
        #expect(line.contains("(! marks cells that differ"), "\(line)")
        #expect(line.hasPrefix(" ! first differs"), "past the divergence the line's own mark is the tables' mark: \(line)")
    }

    /// The top line in ASCII still reads as two sides.
    @Test func asciiTopLineSeparatesTheSidesReadably() throws {
        let s = try CompareFixture.keepDiscard()
        var a = s
        a.ascii = true
        let top = a.render().lines[0]
        #expect(top.contains("keep . mainline | discard . thread"), "\(top)")
        #expect(top.contains("action 1/12 | 1/13"), "\(top)")
        #expect(!top.contains("?"), "no character without an ASCII stand-in: \(top)")
    }

    /// Find in a comparison selects the aligned row of the frame (rows are gfns, not pfns). On
    /// discard the allocator hands 0x100, freed by ghcb's shared fd, to the heap's private fd: at
    /// the end 0x100 is the row of p 0x30, the third, not row 0 as its pfn would say.
    @Test func findSelectsTheAlignedFrameRow() throws {
        var s = try CompareFixture.state("ghcb-upm", left: "discard", right: .variant("keep"))
        s.jump(to: s.trace.actionCount - 1)
        let rows = try #require(s.compared?.rows.rows)
        let heap = try #require(rows.firstIndex(of: BackingRow(slot: 1, kind: .private)))
        #expect(heap == 2, "rows: \(rows)")
        s.find("0x100")
        #expect(s.focus == .rmp)
        #expect(s.selection[TableKind.rmp.rawValue] == heap && s.selection[TableKind.directMap.rawValue] == heap)
        s.find("0x10f")
        #expect(s.message == "pfn 0x10f: it backs no gfn on the left")
    }

    /// A change mark in a comparison goes on the aligned row of the frame it is about: when b gets
    /// its frame (0x101 on lifo, 0x100 on lowest), the owner cell of b's row "s 0x20" is marked on
    /// each side, on no other row, and with `*`: the owners say the same, so no `≠` takes the gutter.
    @Test func aChangeMarkGoesOnTheFramesAlignedRow() throws {
        var s = try Fixture.state(text: TestScenes.freeAndReuse())
        let opened = s.openComparison(.variant("lowest"))
        try #require(opened)
        s.jump(to: s.trace.actionCount - 1)
        let screen = ScreenText(s.render())
        let mid = s.compareLayout.sides[1].area.x
        for half in [0..<mid, mid..<screen.width] {
            let rmp = try #require(screen.table("RMP table", in: half))
            let dm = try #require(screen.table("host direct map", in: half))
            let b = try #require(rmp.row("s 0x20"), "no row for b's frame: \(rmp.body.map(\.text))")
            let owner = try #require(dm.column(of: "owner"))
            #expect(dm.cell(b.y, owner - 1) == "*", "b's owner cell is not marked: \(screen.text(b.y, dm.inner))")
            for other in dm.body where other.y != b.y {
                #expect(!other.text.contains("*"), "a mark on another row: \(other.text)")
            }
        }
    }
}
