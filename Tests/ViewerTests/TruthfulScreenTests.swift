// Issue 9, "truthful screens": the footer's memory in words, change marks in a gutter on the cells
// that changed and only those, labelled counts, an RMP table of RMP fields with the frame's owner in
// the direct map, and the fd tables named for what they are without UPM.
import MemoryModel
import Screen
import StepEngine
import Testing
@testable import Viewer

/// One table of a rendered frame, read as text: its header's columns and its rows.
struct RenderedTable {
    let grid: Grid
    let box: Rect
    let state: ViewerState
    let kind: TableKind

    init(_ state: ViewerState, _ kind: TableKind, grid: Grid? = nil) {
        self.state = state
        self.kind = kind
        self.grid = grid ?? state.render()
        box = state.layout.tables[kind.rawValue]
    }

    var inner: Rect { box.inset(by: 1) }

    func text(y: Int, from x0: Int? = nil, to x1: Int? = nil) -> String {
        let a = x0 ?? inner.x, b = x1 ?? inner.maxX
        return (a..<b).map { grid[$0, y].text }.joined()
    }

    var headerY: Int { inner.y }

    /// The headers and the column each starts at; headers are two or more spaces apart.
    var headers: [(name: String, x: Int)] { columnsOf(line: headerY) }

    func columnsOf(line y: Int) -> [(name: String, x: Int)] {
        tokens(text(y: y)).map { ($0.text, inner.x + $0.offset) }
    }

    func x(of header: String) -> Int? { headers.first { $0.name == header }?.x }

    /// The screen line of a data row, if it is visible.
    func y(ofRow row: Int) -> Int? {
        let first = state.scroll[kind.rawValue]
        let line = row - first
        return line >= 0 && line < inner.height - 1 ? headerY + 1 + line : nil
    }

    /// The value under a header in a row: from the header's column to the next column's gutter
    /// (the last column: to the box, without the scroll bar), without trailing blanks.
    func value(row: Int, header: String) -> String? {
        let hs = headers
        guard let y = y(ofRow: row), let i = hs.firstIndex(where: { $0.name == header }) else { return nil }
        let end = i + 1 < hs.count ? hs[i + 1].x - TableColumns.gutterWidth : inner.maxX
        var v = text(y: y, from: hs[i].x, to: end)
        while let last = v.last, " ░█▲▼".contains(last) { v.removeLast() }
        return v
    }

    /// The gutter character right before a header's column in a row.
    func gutter(row: Int, header: String) -> Cell? {
        guard let y = y(ofRow: row), let x = x(of: header) else { return nil }
        return grid[x - 1, y]
    }

    func rowText(_ row: Int) -> String? { y(ofRow: row).map { text(y: $0) } }
}

/// Runs of text separated by two or more spaces, with their offsets.
func tokens(_ s: String) -> [(text: String, offset: Int)] {
    var out: [(String, Int)] = []
    let chars = Array(s)
    var i = 0
    while i < chars.count {
        while i < chars.count, chars[i] == " " { i += 1 }
        guard i < chars.count else { break }
        let start = i
        var end = i
        while end < chars.count {
            if chars[end] == " ", end + 1 >= chars.count || chars[end + 1] == " " { break }
            end += 1
        }
        out.append((String(chars[start..<end]), start))
        i = end
    }
    return out
}

extension ViewerState {
    /// The row of a pfn in the frame tables, or of a gfn in the fd tables.
    func row(pfn: Int) -> Int { pfn - world.geometry.pfnBase }
    func row(gfn: Int) -> Int { world.geometry.rank(ofSlot: world.geometry.slot(ofGFN: gfn)!) }
}

private func variant(_ scene: String, _ name: String, width: Int = 160, height: Int = 45) throws -> ViewerState {
    let traces = try #require(Fixture.runs[scene])
    let v = try #require(traces.firstIndex { $0.variant?.name == name })
    return try Fixture.state(scene, variant: v, width: width, height: height)
}

/// The first action whose title is `title`.
private func action(_ s: ViewerState, _ title: String) throws -> Int {
    try #require((0..<s.trace.actionCount).first { s.trace.title(of: $0) == title }, "no action '\(title)'")
}

// MARK: - 1. The footer's memory, in words

@Suite struct MemoryWordsTests {
    @Test func oneFrameBacksOneGfn() throws {
        let s = try Fixture.state("ghcb-upm")
        #expect(s.memoryInUse == "1 frame backs 1 gfn")
        let footer = try #require(s.render().lines.last)
        #expect(footer.hasSuffix(" 1 frame backs 1 gfn"), "\(footer)")
        #expect(!footer.contains("frames back 1 gfns"))
    }

    @Test func threeFramesBackTwoGfns() throws {
        var s = try Fixture.state("ghcb-upm")
        s.jump(to: s.trace.actionCount - 1)
        #expect(s.memoryInUse == "3 frames back 2 gfns")
        #expect(try #require(s.render().lines.last).hasSuffix(" 3 frames back 2 gfns"))
    }

    @Test func twoFramesBackOneGfn() throws {
        let s = try Fixture.state(text: """
            title "doubled"
            config kernel thread
            config discard-on-convert off
            pfns 0x100..0x10f
            page p gfn=0x10 shared
            step "convert"
              vmm convert p private
            """)
        var t = s
        t.jump(to: t.trace.actionCount - 1)
        #expect(t.memoryInUse == "2 frames back 1 gfn")
    }

    @Test func noFrameBacksNoGfnAndKernelFramesAreCountedApart() throws {
        var s = try Fixture.state(text: """
            title "kernel"
            config kernel mainline
            pfns 0x100..0x10f
            page p gfn=0x10 unbacked
            step "other kernel code allocates"
              host alloc buf
            """)
        s.jump(to: -1)
        #expect(s.memoryInUse == "0 frames back 0 gfns")
        s.jump(to: 0)
        #expect(s.memoryInUse == "0 frames back 0 gfns, 1 kernel frame")
        #expect(try #require(s.render().lines.last).contains("0 frames back 0 gfns, 1 kernel frame"))
    }
}

// MARK: - 2. Change marks: a gutter, on changed cells only

@Suite struct ChangeMarkTests {
    /// ghcb-upm keep, last action: the guest's first private access allocates 0x102 in the private
    /// fd, assigns it in the RMP and maps it in the NPT.
    @Test func theMarkSitsInTheGutterAndTheValueStaysUnderItsHeader() throws {
        var s = try Fixture.state("ghcb-upm")
        s.jump(to: s.trace.actionCount - 1)
        s.bannerHidden = true
        let rmp = RenderedTable(s, .rmp)
        #expect(rmp.headers.map(\.name) == ["pfn", "A", "ASID", "gfn", "V"])
        let row = s.row(pfn: 0x102)
        for (header, value) in [("A", "1"), ("ASID", "1"), ("gfn", "0x10"), ("V", "1")] {
            #expect(rmp.value(row: row, header: header) == value, "RMP[0x102].\(header)")
            let g = try #require(rmp.gutter(row: row, header: header))
            #expect(g.text == "*" && g.style.role == .changed, "RMP[0x102].\(header) has no mark in its gutter")
        }
        #expect(rmp.value(row: row, header: "pfn") == "0x102")
        // The frames the action did not change carry no mark.
        #expect(rmp.rowText(s.row(pfn: 0x100))?.contains("*") == false)
        #expect(rmp.rowText(s.row(pfn: 0x101))?.contains("*") == false)

        let priv = RenderedTable(s, .privateFD)
        let g10 = s.row(gfn: 0x10)
        #expect(priv.value(row: g10, header: "frame") == "0x102")
        #expect(priv.gutter(row: g10, header: "frame")?.text == "*")
        #expect(priv.value(row: g10, header: "N") == "N")
        #expect(priv.gutter(row: g10, header: "N")?.text == "*")
        #expect(priv.gutter(row: g10, header: "page")?.text == " ", "the page's name did not change")
        // The shared fd's row is the same before and after: nothing in it is marked (the NPT entry
        // moved to another frame of the private fd; the shared N was already blank).
        let shared = RenderedTable(s, .sharedFD)
        #expect(shared.rowText(g10)?.contains("*") == false, "\(shared.rowText(g10) ?? "")")
    }

    /// The conversion zaps the NPT entry of the shared frame: the shared fd's N goes blank and is
    /// marked; the private fd's N was blank and stays blank, so it is not marked (it used to be).
    @Test func anUnchangedPrivateFDCellIsNotMarked() throws {
        var s = try Fixture.state("ghcb-upm")
        s.jump(to: try action(s, "vmm convert ghcb private"))
        let g10 = s.row(gfn: 0x10)
        let shared = RenderedTable(s, .sharedFD)
        #expect(shared.value(row: g10, header: "N") == "")
        #expect(shared.gutter(row: g10, header: "N")?.text == "*", "N → blank is a change")
        let priv = RenderedTable(s, .privateFD, grid: shared.grid)
        #expect(priv.rowText(g10)?.contains("*") == false, "\(priv.rowText(g10) ?? "")")
        #expect(!ChangedCells(s).contains(.privateFD, g10, TableColumns.FD.npt))
    }

    /// The marks are exactly the cells whose text differs from the world before the action: every
    /// table, every row, every action of every built-in run.
    @Test(arguments: Fixture.sceneNames)
    func marksAreExactlyTheCellsWhoseTextChanged(scene: String) throws {
        for trace in try #require(Fixture.runs[scene]) {
            var s = try #require(ViewerState(traces: [trace]))
            var before = TableCells(world: trace.world(after: -1), upm: trace.config.upm)
            for i in 0..<trace.actionCount {
                s.jump(to: i)
                let after = TableCells(world: s.world, upm: trace.config.upm)
                var expected = Set<[Int]>()
                for kind in TableKind.allCases where kind != .privateFD || trace.config.upm {
                    for row in 0..<s.rowCount(kind) {
                        let a = before.values(kind, row).map(\.text), b = after.values(kind, row).map(\.text)
                        for c in b.indices where a[c] != b[c] { expected.insert([kind.rawValue, row, c]) }
                    }
                }
                let marked = ChangedCells(s).all
                #expect(Set(marked) == expected && marked.count == expected.count,
                        "\(scene) \(trace.variant?.name ?? "-") action \(i + 1) \(trace.title(of: i))")
                before = after
            }
        }
    }

    /// On every frame of every run, at every size: a one-column value (A, V, P, N) is always a value,
    /// never the mark, and every mark is in the changed style with a blank before it.
    @Test(arguments: Fixture.sceneNames)
    func oneCharacterValuesAreNeverOverwritten(scene: String) throws {
        let valid: [TableKind: [String: Set<String>]] = [
            .rmp: ["A": ["0", "1"], "V": ["0", "1"]],
            .directMap: ["P": ["P", "-"]],
            .sharedFD: ["N": ["N", ""]],
            .privateFD: ["N": ["N", ""]],
        ]
        for (w, h) in [(160, 45), (100, 30), (80, 24)] {
            for trace in try #require(Fixture.runs[scene]) {
                var s = try #require(ViewerState(traces: [trace], width: w, height: h))
                for i in 0..<trace.actionCount {
                    s.jump(to: i)
                    s.bannerHidden = true
                    let grid = s.render()
                    for kind in TableKind.allCases where kind != .privateFD || trace.config.upm {
                        let t = RenderedTable(s, kind, grid: grid)
                        for (header, values) in valid[kind] ?? [:] {
                            for row in s.scroll[kind.rawValue]..<min(s.rowCount(kind), s.scroll[kind.rawValue] + t.inner.height - 1) {
                                let v = try #require(t.value(row: row, header: header))
                                #expect(values.contains(v), "\(scene) \(w)x\(h) action \(i + 1): \(kind.title) row \(row) \(header) = '\(v)'")
                            }
                        }
                        for y in t.inner.y..<t.inner.maxY {
                            for x in t.inner.x..<t.inner.maxX where grid[x, y].text == "*" {
                                #expect(grid[x, y].style.role == .changed)
                                #expect(grid[x - 1, y].text == " ", "\(scene): a mark touches the value before it")
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func anOwnerChangeIsMarkedInTheDirectMapsOwnerColumn() throws {
        var s = try variant("ghcb-upm", "discard")
        s.jump(to: try action(s, "vmm convert ghcb private — discard shared"))
        let dm = RenderedTable(s, .directMap)
        let row = s.row(pfn: 0x100)
        #expect(dm.value(row: row, header: "owner") == "free")
        #expect(dm.gutter(row: row, header: "owner")?.text == "*")
        #expect(dm.gutter(row: row, header: "kernel mappings")?.text == " ", "KVM's kmap is still there")
        #expect(RenderedTable(s, .rmp, grid: dm.grid).rowText(row)?.contains("*") == false, "the RMP entry did not change")
    }
}

// MARK: - 4. Labelled counts

@Suite struct LabelledCountTests {
    @Test func orphansAreCountedWithTheirLabelInTheTableThePageLineAndTheNarration() throws {
        var s = try variant("ghcb-upm", "mainline")
        s.jump(to: try action(s, "vmm convert ghcb private — discard shared"))
        let shared = RenderedTable(s, .sharedFD)
        let g10 = s.row(gfn: 0x10)
        #expect(shared.value(row: g10, header: "page") == "ghcb GHCB, orphans 1")
        #expect(shared.gutter(row: g10, header: "page")?.text == "*", "the count changed: its cell is marked")
        #expect(shared.value(row: g10, header: "frame") == "hole")
        let text = shared.grid.text
        #expect(text.contains("orphans of gfn 0x10: 0 → 1"))
        #expect(text.contains("guest view shared · orphans *1"), "the page line marks the changed count")
        #expect(!text.contains("+1 orphan"))

        s.jump(to: try action(s, "kvm unmap ghcb"))
        let later = RenderedTable(s, .sharedFD)
        #expect(later.value(row: g10, header: "page") == "ghcb GHCB")
        #expect(later.gutter(row: g10, header: "page")?.text == "*")
        #expect(later.grid.text.contains("orphans *0"))
        #expect(later.grid.text.contains("orphans of gfn 0x10: 1 → 0"))
    }

    @Test func aPageWithoutOrphansDoesNotMentionThem() throws {
        let s = try Fixture.state("ghcb-upm")
        #expect(!s.render().text.contains("orphans"))
    }
}

// MARK: - 5. The RMP table shows RMP fields; the owner is in the direct map

@Suite struct RMPFieldsTests {
    @Test(arguments: [(160, 45), (100, 30), (80, 24)])
    func theRMPTableHasRMPFieldsOnly(width: Int, height: Int) throws {
        var s = try Fixture.state("ghcb-upm", width: width, height: height)
        s.jump(to: s.trace.actionCount - 1)
        s.bannerHidden = true
        let rmp = RenderedTable(s, .rmp)
        #expect(rmp.headers.map(\.name) == ["pfn", "A", "ASID", "gfn", "V"])
        for y in rmp.inner.y..<rmp.inner.maxY {
            let line = rmp.text(y: y)
            for word in ["shared", "private", "free", "orphan", "owner"] {
                #expect(!line.contains(word), "the RMP table shows '\(word)': \(line)")
            }
        }
        let dm = RenderedTable(s, .directMap, grid: rmp.grid)
        #expect(dm.headers.map(\.name) == ["pfn", "P", "owner", "kernel mappings"])
        #expect(dm.value(row: s.row(pfn: 0x100), header: "owner") == "shared 0x10")
        #expect(dm.value(row: s.row(pfn: 0x101), header: "owner") == "private 0x30")
        #expect(dm.value(row: s.row(pfn: 0x102), header: "owner") == "private 0x10")
    }

    @Test func fitCheckLooksForTheNewHeaders() {
        #expect(FitCheck.headers(.rmp) == ["pfn", "A", "ASID", "gfn", "V"])
        #expect(FitCheck.headers(.directMap) == ["pfn", "P", "owner", "kernel mappings"])
        #expect(FitCheck.headers(.sharedFD) == ["gfn", "frame", "N", "page"])
    }

    @Test func anOrphanAndAKernelObjectAreNamedInTheOwnerColumn() throws {
        var s = try variant("ghcb-upm", "mainline")
        s.jump(to: try action(s, "vmm convert ghcb private — discard shared"))
        let dm = RenderedTable(s, .directMap)
        #expect(dm.value(row: s.row(pfn: 0x100), header: "owner") == "orphan 0x10")
        #expect(dm.value(row: s.row(pfn: 0x100), header: "kernel mappings") == "kvm pin ghcb", "the pin is listed with the mappings")

        var k = try Fixture.state(text: """
            title "kernel"
            config kernel mainline
            pfns 0x100..0x10f
            page p gfn=0x10 shared
            step "other kernel code allocates"
              host alloc buf
            """)
        k.jump(to: 0)
        #expect(RenderedTable(k, .directMap).value(row: k.row(pfn: 0x101), header: "owner") == "kernel buf")
    }
}

// MARK: - 6. Without UPM

@Suite struct NoUPMTablesTests {
    @Test(arguments: [(160, 45), (100, 30), (80, 24)])
    func theSharedFDIsTheMemslotBackingAndThereIsNoPrivateFD(width: Int, height: Int) throws {
        var s = try Fixture.state("no-upm-host-write", width: width, height: height)
        #expect(!s.trace.config.upm)
        s.jump(to: s.trace.actions(ofStep: 1).lowerBound)
        let grid = s.render()
        let text = grid.text
        #expect(text.contains(" memslot backing "))
        #expect(text.contains(" private fd: none without UPM "))
        #expect(!text.contains(" shared fd "), "no table is called the shared fd without UPM")
        let priv = RenderedTable(s, .privateFD, grid: grid)
        let body = (priv.inner.y..<priv.inner.maxY).map { priv.text(y: $0) }.joined(separator: " ")
        #expect(body.contains("Pages are converted in place"), "\(body)")
        #expect(!body.contains("0x40"), "no rows for a file that does not exist: \(body)")
        // Its header stays, so the table says what it would hold and --fit finds its columns.
        #expect(priv.headers.map(\.name) == ["gfn", "frame", "N", "page"])
        #expect(!FitCheck.problems(s).contains { $0.hasPrefix("private fd") }, "\(FitCheck.problems(s))")
        let memslot = RenderedTable(s, .sharedFD, grid: grid)
        #expect(memslot.value(row: s.row(gfn: 0x40), header: "frame") == "0x100")
        #expect(RenderedTable(s, .directMap, grid: grid).value(row: s.row(pfn: 0x100), header: "owner") == "memslot 0x40")
    }
}
