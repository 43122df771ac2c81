// Issue 9, "page history": Enter on a row answers "what happened to this page": by default only the
// actions that touched it, all of them after `toggleHistoryAll`; every column lines up with its
// header from 80 columns up; a cell an action changed is marked in its gutter.
import MemoryModel
import Screen
import StepEngine
import Testing
@testable import Viewer

/// The history box of a rendered frame, read as text.
private struct RenderedHistory {
    let grid: Grid
    let inner: Rect

    init(_ state: ViewerState) {
        grid = state.render()
        inner = state.layout.tablesArea.union(state.layout.narration).inset(by: 1)
    }

    func text(y: Int, from x0: Int? = nil, to x1: Int? = nil) -> String {
        ((x0 ?? inner.x)..<(x1 ?? inner.maxX)).map { grid[$0, y].text }.joined()
    }

    var title: String { text(y: inner.y - 1, from: inner.x - 1, to: inner.maxX + 1) }
    var headers: [(name: String, x: Int)] { tokens(text(y: inner.y)).map { ($0.text, inner.x + $0.offset) } }

    /// The data lines, by the action number in their first column.
    var rows: [(action: Int, y: Int)] {
        (inner.y + 1..<inner.maxY).compactMap { y in
            Int(tokens(text(y: y)).first?.text ?? "").map { ($0 - 1, y) }
        }
    }

    func y(ofAction i: Int) -> Int? { rows.first { $0.action == i }?.y }

    /// The value under a header: from its column to the next column's gutter.
    func value(y: Int, header: String) -> String? {
        let hs = headers
        guard let i = hs.firstIndex(where: { $0.name == header }) else { return nil }
        let end = i + 1 < hs.count ? hs[i + 1].x - TableColumns.gutterWidth : inner.maxX
        var v = text(y: y, from: hs[i].x, to: end)
        while v.last == " " { v.removeLast() }
        return v
    }

    func gutter(y: Int, header: String) -> String? {
        headers.first { $0.name == header }.map { grid[$0.x - 1, y].text }
    }
}

private func variant(_ name: String, width: Int = 160, height: Int = 45) throws -> ViewerState {
    let traces = try #require(Fixture.runs["ghcb-upm"])
    let v = try #require(traces.firstIndex { $0.variant?.name == name })
    return try Fixture.state("ghcb-upm", variant: v, width: width, height: height)
}

/// Opens the history of a gfn (from the shared fd table) or of a pfn (from the RMP table).
private func openHistory(_ s: inout ViewerState, gfn: Int? = nil, pfn: Int? = nil) {
    if let gfn {
        while s.focus != .sharedFD { s.handle(.tab) }
        s.select(.sharedFD, s.world.geometry.rank(ofSlot: s.world.geometry.slot(ofGFN: gfn)!))
    } else if let pfn {
        while s.focus != .rmp { s.handle(.tab) }
        s.select(.rmp, pfn - s.world.geometry.pfnBase)
    }
    s.handle(.enter)
}

@Suite struct PageHistoryTests {
    // MARK: Touched actions, and all of them

    @Test func aGfnsHistoryListsTheActionsThatTouchedIt() throws {
        var s = try Fixture.state("ghcb-upm")
        s.jump(to: s.trace.actionCount - 1)
        openHistory(&s, gfn: 0x30)
        guard case .history(.slot(let slot), _) = s.mode else {
            Issue.record("no gfn history: \(s.mode)")
            return
        }
        #expect(s.world.geometry.gfn(ofSlot: slot) == 0x30)
        // heap (gfn 0x30): the refused PVALIDATE, the conversion, the PVALIDATE that faults it in.
        let touched = s.trace.actions(touching: .slot(slot))
        #expect(touched.map { s.trace.title(of: $0) } == ["guest pvalidate heap on", "vmm convert heap private", "guest pvalidate heap on"])
        let h = RenderedHistory(s)
        #expect(h.title.contains("history of heap gfn 0x30: 3 of 12 actions touched it (a: all"), "\(h.title)")
        #expect(h.rows.map(\.action) == touched)
        #expect(!h.grid.text.contains("kvm map ghcb"), "an action on another page is not listed")
    }

    @Test func toggleHistoryAllListsEveryActionAndDimsTheOthers() throws {
        var s = try Fixture.state("ghcb-upm")
        s.jump(to: s.trace.actionCount - 1)
        openHistory(&s, gfn: 0x30)
        #expect(!s.historyShowsAll)
        s.toggleHistoryAll()
        #expect(s.historyShowsAll)
        guard case .history = s.mode else {
            Issue.record("the toggle closed the history: \(s.mode)")
            return
        }
        let h = RenderedHistory(s)
        #expect(h.title.contains("all 12 actions, 3 touched it (a: touched only"), "\(h.title)")
        #expect(h.rows.map(\.action) == Array(0..<12))
        let touched = Set(s.trace.actions(touching: .slot(s.world.geometry.slot(ofGFN: 0x30)!)))
        for (i, y) in h.rows where i != s.index {
            let role = h.grid[h.inner.x, y].style.role
            #expect(touched.contains(i) ? role != .dim : role == .dim, "action \(i + 1): \(role)")
        }
        s.toggleHistoryAll()
        #expect(!s.historyShowsAll)
        #expect(RenderedHistory(s).rows.count == 3)
    }

    @Test func aFramesHistoryListsWhatChangedItOrReachedIt() throws {
        var s = try variant("discard")
        s.jump(to: s.trace.actionCount - 1)
        s.handle(.escape)  // the panic's banner
        openHistory(&s, pfn: 0x100)
        guard case .history(.frame(let f), _) = s.mode else {
            Issue.record("no frame history: \(s.mode)")
            return
        }
        let titles = s.trace.actions(touching: .frame(f)).map { s.trace.title(of: $0) }
        #expect(titles == [
            "kvm map ghcb",                                      // KVM's kmap of it
            "vmm convert ghcb private — set-attr private",       // the NPT stops mapping it
            "vmm convert ghcb private — discard shared",         // freed
            "vmm convert heap private — alloc private",          // handed to heap's private fd
            "guest pvalidate heap on",                           // assigned, gone from the direct map
            "kvm write ghcb",                                    // written through the stale kmap
        ])
        #expect(!titles.contains("guest psc ghcb private — request private"), "a request changes nothing of the frame")
        #expect(RenderedHistory(s).title.contains("history of pfn 0x100: 6 of 13 actions touched it"))
    }

    @Test func theToggleKeepsTheCurrentActionInView() throws {
        // 40 pages, one action each, then one more on the first: its history has 2 rows of 42.
        var s = try Fixture.state(text: """
            title "many"
            config kernel mainline
            pfns 0x100..0x17f
            page a gfn=0x10..0x37 shared
            step "map all"
              kvm map a
            step "write the first"
              kvm write a[0]
            """, width: 100, height: 30)
        s.jump(to: s.trace.actionCount - 1)
        let slot = s.world.geometry.slot(ofGFN: 0x10)!
        #expect(s.historyScroll(for: .slot(slot)) == 0, "two touched rows: no scrolling")
        s.toggleHistoryAll()
        #expect(s.historyScroll(for: .slot(slot)) == s.index - 3)
        openHistory(&s, gfn: 0x10)
        s.toggleHistoryAll()  // back to the touched rows, from a scroll of 37
        guard case .history(_, let scroll) = s.mode else {
            Issue.record("\(s.mode)")
            return
        }
        #expect(scroll == 0)
        #expect(RenderedHistory(s).rows.map(\.action) == [0, s.index])
    }

    // MARK: Columns line up with their headers

    /// Every value starts at its header's column, with its gutter (blank or the mark) right before,
    /// at every width from 80; the fields shown are read back from the world after each action.
    @Test(arguments: [80, 100, 120, 160])
    func columnsLineUpWithTheirHeaders(width: Int) throws {
        for (name, target) in [("keep", "gfn"), ("discard", "pfn"), ("mainline", "gfn"), ("mainline", "pfn")] {
            var s = try variant(name, width: width, height: 40)
            s.jump(to: s.trace.actionCount - 1)
            s.handle(.escape)
            if target == "gfn" { openHistory(&s, gfn: 0x10) } else { openHistory(&s, pfn: 0x100) }
            s.toggleHistoryAll()
            let h = RenderedHistory(s)
            let names = h.headers.map(\.name)
            #expect(Array(names.prefix(1)) == ["act"], "\(width): \(names)")
            #expect(names.contains("operation"))
            let required = target == "gfn" ? ["shared", "private", "attr", "NPT", "guest"] : ["owner", "A", "V", "P", "kernel mappings"]
            for r in required { #expect(names.contains(r), "\(width) \(name) \(target): no '\(r)' in \(names)") }
            #expect(h.rows.count == s.trace.actionCount)
            let g = s.world.geometry
            for (i, y) in h.rows {
                let w = s.trace.world(after: i)
                var expected: [String: String] = [:]
                if target == "gfn" {
                    let p = w.pages[g.slot(ofGFN: 0x10)!]
                    expected["shared"] = p.sharedFrame >= 0 ? hex(g.pfn(p.sharedFrame)) : "hole"
                    expected["private"] = p.privateFrame >= 0 ? hex(g.pfn(p.privateFrame)) : "hole"
                    expected["attr"] = p.attribute.rawValue
                    expected["NPT"] = p.npt.map { "\(hex(g.pfn($0.frame))) \($0.kind.rawValue)" } ?? "none"
                    expected["guest"] = p.guestView.rawValue
                } else {
                    let f = w.frames[0]
                    expected["A"] = f.assigned ? "1" : "0"
                    expected["V"] = f.validated ? "1" : "0"
                    expected["P"] = f.present ? "P" : "-"
                    expected["ASID"] = f.assigned ? String(f.asid) : "-"
                    expected["gfn"] = f.assigned ? hex(f.rmpGFN) : "-"
                    expected["pins"] = String(f.pins)
                }
                expected["act"] = String(i + 1)
                for (header, value) in expected where names.contains(header) {
                    #expect(h.value(y: y, header: header) == value, "\(width) \(name) \(target) action \(i + 1) \(header)")
                    if header != "act" {
                        let gutter = h.gutter(y: y, header: header)
                        #expect(gutter == " " || gutter == "*", "\(width): '\(gutter ?? "nil")' before \(header)")
                    }
                }
            }
        }
    }

    // MARK: Marks

    @Test func aCellIsMarkedOnlyInTheRowOfTheActionThatChangedIt() throws {
        var s = try Fixture.state("ghcb-upm")
        s.jump(to: s.trace.actionCount - 1)
        openHistory(&s, gfn: 0x10)
        let h = RenderedHistory(s)
        let last = try #require(h.y(ofAction: s.trace.actionCount - 1))
        #expect(h.value(y: last, header: "private") == "0x102")
        #expect(h.gutter(y: last, header: "private") == "*")
        #expect(h.grid[h.headers.first { $0.name == "private" }!.x - 1, last].style.role == .changed)
        #expect(h.gutter(y: last, header: "shared") == " ", "the shared fd still holds 0x100")
        #expect(h.gutter(y: last, header: "attr") == " ", "the attribute was already private")
        // KVM's write changes nothing of the page: no mark in its row.
        let write = try #require((0..<s.trace.actionCount).first { s.trace.title(of: $0) == "kvm write ghcb" })
        let y = try #require(h.y(ofAction: write))
        #expect(!h.text(y: y).contains("*"), "\(h.text(y: y))")
    }

    @Test func countsInTheHistoryAreLabelled() throws {
        var s = try variant("mainline")
        s.jump(to: s.trace.actionCount - 1)
        openHistory(&s, pfn: 0x100)
        let h = RenderedHistory(s)
        #expect(h.headers.map(\.name).contains("pins"))
        let map = try #require((0..<s.trace.actionCount).first { s.trace.title(of: $0) == "kvm map ghcb" })
        let y = try #require(h.y(ofAction: map))
        #expect(h.value(y: y, header: "pins") == "1")
        #expect(h.gutter(y: y, header: "pins") == "*")
        #expect(h.value(y: y, header: "kernel mappings") == "kvm pin ghcb")
    }
}
