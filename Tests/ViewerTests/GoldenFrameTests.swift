// Golden text frames of the viewer, and the structure every frame must have.
// Re-record with RMPVIZ_RECORD=1 swift test --filter GoldenFrameTests, then read the diff.
import MemoryModel
import Screen
import StepEngine
import Testing
import TestSupport
@testable import Viewer

struct FrameSize: Sendable, CustomTestStringConvertible {
    let width: Int
    let height: Int
    var name: String { "\(width)x\(height)" }
    var testDescription: String { name }
    static let wide = FrameSize(width: 160, height: 45)
    static let narrow = FrameSize(width: 100, height: 30)
}

enum FramePoint: String, Sendable, CaseIterable {
    case first, middle, last

    func action(in trace: Trace) -> Int {
        switch self {
        case .first: 0
        case .middle: trace.actionCount / 2
        case .last: trace.actionCount - 1
        }
    }
}

@Suite struct GoldenFrameTests {
    // MARK: - Every built-in scene, first variant, at its first, middle and last action

    @Test(arguments: Fixture.sceneNames, [FrameSize.wide, FrameSize.narrow])
    func builtinSceneFrames(scene: String, size: FrameSize) throws {
        var state = try Fixture.state(scene, width: size.width, height: size.height)
        #expect(state.index == 0, "a viewer opens at the first action")
        for point in FramePoint.allCases {
            let action = point.action(in: state.trace)
            state.jump(to: action)
            #expect(state.index == action)
            let grid = state.render()
            #expect(grid.width == size.width && grid.height == size.height)
            expectGolden(grid.text, named: "\(scene)-\(size.name)-\(point.rawValue)")
        }
    }

    // MARK: - Screens other than the tables

    @Test func helpScreen() throws {
        var state = try Fixture.state("ghcb-upm")
        state.handle(.char("?"))
        let text = state.render().text
        expectGolden(text, named: "help-160x45")
        #expect(text.contains("keys (Esc or ? to close)"))
        // The help is made from the key map: every binding's help text is on it.
        for b in KeyMap.bindings { #expect(text.contains(b.help), "help lacks '\(b.help)'") }
        // And its legend from the tables' specs: every column with a meaning, once.
        for (header, meaning) in TableSpec.legend {
            #expect(text.contains(meaning), "help lacks the legend of '\(header)'")
        }
        #expect(TableSpec.legend.map(\.0) == ["A", "ASID", "gfn", "V", "P", "owner", "kernel mappings", "frame", "N"])
        #expect(!text.contains("RMP table"), "the help replaces the tables")
    }

    @Test func pageHistoryOfAFrame() throws {
        let traces = try #require(Fixture.runs["ghcb-upm"])
        let discard = try #require(traces.firstIndex { $0.variant?.name == "discard" })
        var state = try Fixture.state("ghcb-upm", variant: discard)
        state.jump(to: state.trace.actionCount - 1)
        let frame = state.selection[TableKind.rmp.rawValue]
        state.handle(.enter)
        guard case .history(.frame(let f), _) = state.mode else {
            Issue.record("Enter did not open a frame history: \(state.mode)")
            return
        }
        #expect(Int(f) == frame)
        let text = state.render().text
        expectGolden(text, named: "history-frame-ghcb-upm-discard-160x45")
        let pfn = hex(state.world.geometry.pfn(f))
        #expect(text.contains("history of pfn \(pfn)"))
        // By default the actions that touched the frame (PageHistoryTests has the rules): KVM's
        // write through its stale kmap is listed, the guest's PSC request is not.
        #expect(!text.contains(state.trace.title(of: 0)))
        #expect(text.contains(state.trace.title(of: state.trace.actionCount - 1)))
    }

    @Test func pageHistoryOfAGfn() throws {
        var state = try Fixture.state("ghcb-upm")
        state.jump(to: state.trace.actionCount / 2)
        state.handle(.tab)
        state.handle(.tab)
        #expect(state.focus == .sharedFD)
        state.handle(.enter)
        guard case .history(.slot(let s), _) = state.mode else {
            Issue.record("Enter did not open a gfn history: \(state.mode)")
            return
        }
        let text = state.render().text
        expectGolden(text, named: "history-gfn-ghcb-upm-keep-160x45")
        let g = state.world.geometry
        #expect(text.contains("history of \(g.name(ofSlot: s)) gfn \(hex(g.gfn(ofSlot: s)))"))
        // Changed cells are marked in the timeline.
        #expect(text.contains("*"))
    }

    /// The minimum is 80×23 (an 80×24 terminal with a tmux status line): one column or row less is too small.
    @Test(arguments: [(79, 23), (1, 1), (80, 22), (79, 24)])
    func tooSmallScreen(width: Int, height: Int) throws {
        let state = try Fixture.state("ghcb-upm", width: width, height: height)
        let grid = state.render()
        #expect(grid.width == width && grid.height == height)
        expectGolden(grid.text, named: "too-small-\(width)x\(height)")
        if width >= 60 {
            #expect(grid.text.contains("terminal too small: have \(width)×\(height), need 80×23"))
            #expect(grid.text.contains("q quits"))
            #expect(!grid.text.contains("RMP table"))
        }
    }

    @Test func exactlyTheMinimumSizeShowsTables() throws {
        let text = try Fixture.state("ghcb-upm", width: 80, height: 24).render().text
        #expect(!text.contains("terminal too small"))
        #expect(text.contains("RMP table"))
        #expect(text.contains("private fd"))
    }

    static let oopsLines = [
        "BUG: unable to handle page fault for address: ffff888000100000",
        "#PF: supervisor write access in kernel mode",
        "not-present page",
        "Kernel panic - not syncing: Fatal exception",
    ]

    @Test(arguments: [FrameSize.wide, FrameSize.narrow])
    func panicBanner(size: FrameSize) throws {
        let traces = try #require(Fixture.runs["ghcb-upm"])
        let discard = try #require(traces.firstIndex { $0.variant?.name == "discard" })
        var state = try Fixture.state("ghcb-upm", variant: discard, width: size.width, height: size.height)
        state.jump(to: state.trace.actionCount - 1)
        let text = state.render().text
        expectGolden(text, named: "panic-ghcb-upm-discard-\(size.name)")
        for line in Self.oopsLines { #expect(text.contains(line), "the oops lacks '\(line)'") }
        #expect(text.contains("host panic"))
        #expect(text.contains("worst: host-panic"))
        // One action earlier there is no banner.
        state.jump(to: state.trace.actionCount - 2)
        let before = state.render().text
        #expect(!before.contains("Kernel panic"))
    }

    // MARK: - Structure

    @Test func wideScreenHasFourTablesSideBySide() throws {
        let grid = try Fixture.state("ghcb-upm").render()
        let titles = TableKind.allCases.map(\.title)
        #expect(titles == ["RMP table", "host direct map", "shared fd", "private fd"])
        let row = grid.lines.first { line in titles.allSatisfy { line.contains($0) } }
        let line = try #require(row, "no line holds all four table titles:\n\(grid.text)")
        let columns = titles.compactMap { column(of: $0, in: line) }
        #expect(columns == columns.sorted() && Set(columns).count == 4, "titles out of order: \(line)")
        // Column headers of each table.
        for header in ["pfn", "ASID", "gfn", "owner", "kernel mappings", "frame", "page"] {
            #expect(grid.text.contains(header), "no '\(header)' column")
        }
    }

    @Test func narrowScreenStacksTablesTwoByTwo() throws {
        let grid = try Fixture.state("ghcb-upm", width: 100, height: 30).render()
        let lines = grid.lines
        #expect(!lines.contains { l in l.contains("RMP table") && l.contains("shared fd") })
        let upper = try #require(lines.firstIndex { $0.contains("RMP table") })
        let lower = try #require(lines.firstIndex { $0.contains("shared fd") })
        #expect(lower > upper + 3, "shared fd must stand below the RMP table")
        let upperLine = lines[upper], lowerLine = lines[lower]
        #expect(upperLine.contains("host direct map"))
        #expect(lowerLine.contains("private fd"))
        let rmp = try #require(column(of: "RMP table", in: upperLine))
        let dm = try #require(column(of: "host direct map", in: upperLine))
        let shared = try #require(column(of: "shared fd", in: lowerLine))
        let priv = try #require(column(of: "private fd", in: lowerLine))
        #expect(rmp < dm && shared < priv)
        // The left column of both rows starts at the left edge.
        #expect(abs(rmp - shared) < 4)
    }

    @Test(arguments: Fixture.sceneNames)
    func changedCellsAreMarkedAndStyled(scene: String) throws {
        var state = try Fixture.state(scene)
        // The last action of the run that changes a table cell.
        let tables: Set<TableID> = [.rmp, .frame, .directMap, .sharedFD, .privateFD]
        let candidates = (0..<state.trace.actionCount).reversed()
        let action = try #require(candidates.first { i in state.trace.changes(of: i).contains { tables.contains($0.table) } },
                                  "\(scene) never changes a table cell")
        state.jump(to: action)
        let grid = state.render()
        let runs = grid.changedRuns()
        #expect(!runs.isEmpty, "\(scene) action \(action + 1): no cell in the .changed style\n\(grid.text)")
        for (row, run) in runs {
            #expect(run.text.hasPrefix("*"), "row \(row): changed cell '\(run.text)' lacks its '*'")
            #expect(run.style.attributes.contains(.bold) || run.style.attributes.contains(.reverse),
                    "a changed cell must not rely on colour alone")
        }
        // And every '*' in the tables is a changed cell.
        let layout = state.layout
        for y in layout.tablesArea.y..<layout.tablesArea.maxY {
            for x in 0..<grid.width where grid[x, y].text == "*" {
                if state.trace.ending.raised != nil && action == state.trace.actionCount - 1 { continue } // banner text
                #expect(grid[x, y].style.role == .changed, "'*' at (\(x), \(y)) is not styled as changed")
            }
        }
    }

    @Test func lastActionOfGhcbKeepMarksTheChangedCells() throws {
        var state = try Fixture.state("ghcb-upm")
        state.jump(to: state.trace.actionCount - 1)
        let grid = state.render()
        let changes = state.trace.changes(of: state.index)
        let tableChanges = changes.filter { [.rmp, .frame, .directMap, .sharedFD, .privateFD].contains($0.table) }
        let runs = grid.changedRuns()
        if tableChanges.isEmpty {
            #expect(runs.isEmpty)
        } else {
            #expect(!runs.isEmpty, "changes \(tableChanges) not marked")
        }
    }

    @Test(arguments: Fixture.sceneNames)
    func topLineAndFooter(scene: String) throws {
        var state = try Fixture.state(scene)
        let trace = state.trace
        for action in [0, trace.actionCount - 1] {
            state.jump(to: action)
            let lines = state.render().lines
            let top = lines[0]
            #expect(top.contains(String(trace.scene.title.prefix(30))), "top line lacks the title: \(top)")
            if let v = trace.variant {
                #expect(top.contains("variant 1/\(trace.scene.variants.count) \(v.name)"), "\(top)")
            }
            #expect(top.contains("step \(state.step + 1)/\(trace.stepCount)"), "\(top)")
            #expect(top.contains("action \(action + 1)/\(trace.actionCount)"), "\(top)")
            #expect(top.contains("worst:"), "\(top)")
            let footer = try #require(lines.last)
            #expect(footer.contains("q quit"), "\(footer)")
            // Memory in use in words, singular or plural (MemoryWordsTests has the cases).
            #expect(footer.contains(state.memoryInUse), "\(footer)")
        }
    }

    /// The top line's comment says a narrow screen cuts the title; the step and action counters and
    /// the variant are what the reader needs while stepping. (160×45 is checked by topLineAndFooter.)
    @Test func topLineKeepsVariantStepAndActionOnANarrowScreen() throws {
        let size = FrameSize.narrow
        for name in Fixture.sceneNames {
            var state = try Fixture.state(name, width: size.width, height: size.height)
            for action in [0, state.trace.actionCount - 1] {
                state.jump(to: action)
                let top = state.render().lines[0]
                if let v = state.trace.variant {
                    #expect(top.contains("variant 1/\(state.scene.variants.count) \(v.name)"), "\(name) at \(size.name): \(top)")
                }
                #expect(top.contains("step \(state.step + 1)/\(state.trace.stepCount)"), "\(name) at \(size.name): \(top)")
                #expect(top.contains("action \(action + 1)/\(state.trace.actionCount)"), "\(name) at \(size.name): \(top)")
            }
        }
    }

    @Test func ghcbTopLineReadsAsSpecified() throws {
        var state = try Fixture.state("ghcb-upm")
        let top = state.render().lines[0]
        // Title │ variant │ kernel │ step and its title │ action, then the worst outcome at the right.
        // ghcb-upm has three variants (keep, discard, mainline); keep runs on the scene's kernel.
        #expect(top.contains(" The GHCB made private │ variant 1/3 keep │ kernel mainline │ step 1/6 The guest asks for its GHCB private │ action 1/\(state.trace.actionCount) "), "\(top)")
        #expect(trimmed(top).hasSuffix(" worst: none yet"), "no outcome yet, so nothing to call the worst: \(top)")
        state.jump(to: state.trace.actionCount - 1)
        #expect(state.render().lines[0].contains("worst: double-allocation"))
    }

    @Test func narrationDescribesTheAction() throws {
        var state = try Fixture.state("ghcb-upm")
        state.jump(to: state.trace.actionCount / 2)
        let text = state.render().text
        #expect(text.contains("▶ action \(state.index + 1)/\(state.trace.actionCount): \(state.trace.title(of: state.index))"))
        #expect(text.contains(String(state.trace.summary(of: state.index).prefix(40))))
        let say = try #require(state.scene.steps[state.step].say.first)
        #expect(text.contains(String(say.prefix(40))))
    }
}
