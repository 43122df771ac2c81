import MemoryModel
import Screen
import StepEngine

extension ViewerState {
    /// A comparison's screen: one top line, where the runs first differ, then each side's tables
    /// and narration, drawn by the same code as a single run, cells that differ marked on both.
    func drawComparison(_ c: ComparedRun, on grid: inout Grid) {
        let cl = compareLayout
        drawCompareTop(c, on: &grid, cl.top)
        drawDivergence(c, on: &grid, cl.divergence)
        guard let right = rightSide else { return }
        let states = [self, right]
        let maps = states.enumerated().map { i, v in
            FrameRowMap(rows: c.rows, isLeft: i == 0, index: v.index, world: v.world, keyInDirectMap: !cl.allTables)
        }
        let differing = differingCells(left: (self, maps[0]), right: (right, maps[1]), capacity: cl.tableCapacity, shown: cl.sides[0].tables)
        for (i, side) in cl.sides.enumerated() {
            let v = states[i]
            // Only rows on screen are compared: fd rows by rank, frame rows by the frames the
            // aligned rows on screen show.
            let scroll = self.scroll, capacity = cl.tableCapacity
            let frames = [TableKind.rmp, .directMap].reduce(into: Set<Int32>()) { set, kind in
                set.formUnion(maps[i].frames(in: scroll[kind.rawValue]..<scroll[kind.rawValue] + capacity).keys)
            }
            let changed = ChangedCells(v) { kind, row in
                kind.isFrameTable ? frames.contains(Int32(row)) : (row >= scroll[kind.rawValue] && row < scroll[kind.rawValue] + capacity)
            }
            TablesView(v, changed: changed, tables: side.tables, capacity: cl.tableCapacity,
                       frameRows: maps[i], differing: differing).draw(on: &grid)
            let name = i == 0 ? "left: " + sideName(trace) : "right: " + sideName(c.trace)
            if i == 1, c.stepNotReached {
                drawNotReached(c, on: &grid, in: side.narration, name: name)
            } else {
                v.drawNarration(on: &grid, in: side.narration, changed: changed, side: name)
            }
            v.drawEnding(on: &grid, over: side.tablesArea, orLarger: side.area)
        }
        if cl.say.height > 0, scene.steps.indices.contains(step) {
            let box = Box(title: " step \(step + 1)/\(trace.stepCount): \(scene.steps[step].title) ", style: .border, titleStyle: .title, ascii: ascii)
            let inner = box.draw(in: cl.say, on: &grid).inset(left: 1, right: 1)
            _ = TextBox(paragraphs: scene.steps[step].say.map { CellText($0, style: .normal) }, style: .normal).draw(in: inner, on: &grid)
        }
    }

    /// A run's name on its side: its variant (or the scene) and its kernel.
    func sideName(_ t: Trace) -> String {
        (t.variant?.name ?? "scene") + " · " + t.config.kernel.rawValue
    }

    /// The right never reached the left's step: it says so, and how it ended.
    private func drawNotReached(_ c: ComparedRun, on grid: inout Grid, in r: Rect, name: String) {
        let box = Box(title: " \(name): step \(step + 1)/\(trace.stepCount) not reached ", style: .border, titleStyle: .title, ascii: ascii)
        let inner = box.draw(in: r, on: &grid).inset(left: 1, right: 1)
        let t = c.trace
        let lines = [CellText("Not reached on this side: the run ended at step \(t.stepsRun) (\(t.ending)).", style: .warning),
                     CellText("Its tables show its last action, \(t.actionCount)/\(t.actionCount).", style: .dim)]
        _ = TextBox(paragraphs: lines, style: .normal).draw(in: inner, on: &grid)
    }

    /// Both sides' names, the shared step, each side's action and worst outcome. The scene's title
    /// shows only when everything else fits.
    private func drawCompareTop(_ c: ComparedRun, on grid: inout Grid, _ r: Rect) {
        grid.fill(r, with: Cell(" ", style: .header))
        let right = c.cursor
        let (lv, rv) = (trace.variant?.name ?? "scene", c.trace.variant?.name ?? "scene")
        let (lk, rk) = (trace.config.kernel.rawValue, c.trace.config.kernel.rawValue)
        // What differs between the sides, said once: the kernels of one variant, or two variants.
        let sides = lv == rv ? " \(lv): \(lk) ⇄ \(rk) " : lk == rk ? " \(lv) ⇄ \(rv) · \(lk) " : " \(lv) · \(lk) ⇄ \(rv) · \(rk) "
        let stepText = " step \(step + 1)/\(trace.stepCount) "
        let counts = "\(index + 1)/\(trace.actionCount) ⇄ \(c.stepNotReached ? "-" : String(right.index + 1))/\(c.trace.actionCount)"
        func worst(_ t: Trace, _ i: Int) -> String {
            let w = t.worst(through: i)
            return w.raised == nil ? "none yet" : "\(w)"
        }
        let (lw, rw) = (worst(trace, index), worst(c.trace, right.index))
        let worsts = lw == rw ? "\(lw) on both" : "\(lw) ⇄ \(rw)"
        // The long forms while they fit, then without the words "action" and "worst:".
        let forms = [(" action \(counts) ", " worst: \(worsts) "), (" \(counts) ", " \(worsts) ")]
        func need(_ f: (String, String)) -> Int {
            [sides, stepText, f.0].reduce(0) { $0 + TextWidth.width(of: $1) + 1 } + TextWidth.width(of: f.1)
        }
        let form = forms.first { need($0) <= r.width } ?? forms[forms.count - 1]
        let (actions, worstText) = form
        let parts = [sides, stepText, actions]
        let fixed = need(form)
        let title = " " + scene.title + " "
        var x = r.x
        func put(_ text: String, _ style: Style) {
            guard x < r.maxX else { return }
            x += grid.put(text, x: x, y: r.y, style: style, clip: r.maxX - x, truncation: .ellipsis)
        }
        if fixed + TextWidth.width(of: title) + 1 <= r.width { put(title, Style(.title, attributes: [.bold])) }
        for (i, p) in parts.enumerated() {
            if x > r.x { put("│", .header) }
            put(p, i == 0 ? Style(.header, attributes: [.bold]) : .header)
        }
        let ww = TextWidth.width(of: worstText)
        _ = grid.put(worstText, x: max(x, r.maxX - ww), y: r.y, style: .header, clip: ww, truncation: .ellipsis)
    }

    /// Where the runs first differ, and whether this action is before or after it.
    private func drawDivergence(_ c: ComparedRun, on grid: inout Grid, _ r: Rect) {
        let sentence = c.comparison.divergenceSentence
        let past: Bool
        if let d = c.comparison.divergence {
            let range = trace.actions(ofStep: d.step)
            let at = range.isEmpty ? trace.actionCount : range.lowerBound + d.action
            past = index >= at
        } else {
            past = false
        }
        let differs = ascii ? "!" : "≠"
        let mark = c.comparison.divergence == nil ? "=" : (past ? differs : "·")
        let legend = "  (\(differs) marks cells that differ; s/p: shared/private fd)"
        let text = " \(mark) \(sentence)"
        let style: Style = past ? .warning : .info
        let w = grid.put(text, x: r.x, y: r.y, style: style, clip: r.width, truncation: .ellipsis)
        if w + TextWidth.width(of: legend) <= r.width { _ = grid.put(legend, x: r.x + w, y: r.y, style: .dim, clip: r.width - w) }
    }

    /// The cells of the rows on screen whose meaning differs between the two sides: frame numbers
    /// are not compared (two allocators hand out different frames), only what is in them.
    private func differingCells(left: (ViewerState, FrameRowMap), right: (ViewerState, FrameRowMap),
                                capacity: Int, shown: [Rect]) -> Set<[Int]> {
        var out = Set<[Int]>()
        // Each column as its table's spec says a comparison weighs it.
        func mark(_ kind: TableKind, _ row: Int, _ x: [CellText], _ y: [CellText], shift: Int) {
            for (col, c) in TableSpec.of(kind).columns.enumerated() where col < x.count && col < y.count {
                let differs: Bool
                switch c.compare {
                case .ignored: differs = false
                case .presence:
                    // A pfn or a word ("hole", "-"): which pfn does not count.
                    func presence(_ t: String) -> String { t.hasPrefix("0x") ? "a frame" : t }
                    differs = presence(x[col].text) != presence(y[col].text)
                case .text: differs = x[col].text != y[col].text
                }
                if differs { out.insert([kind.rawValue, row, col + shift]) }
            }
        }
        let l = TableCells(world: left.0.world, upm: left.0.trace.config.upm)
        let r = TableCells(world: right.0.world, upm: right.0.trace.config.upm)
        for kind in TableKind.allCases where kind.rawValue < shown.count && shown[kind.rawValue].width > 0 {
            let first = scroll[kind.rawValue]
            let rows = first..<min(rowCount(kind), first + capacity)
            for row in rows {
                if kind.isFrameTable {
                    let a = left.1.frame(ofRow: row), b = right.1.frame(ofRow: row)
                    // Column 0 of the values is the pfn; with a "for" column they are one on.
                    let shift = left.1.hasKey(kind) ? 1 : 0
                    switch (a, b) {
                    case (.current, .current), (.former, .former), (.none, .none): break
                    default: out.insert([kind.rawValue, row, shift])
                    }
                    guard let fa = a.frame, let fb = b.frame else { continue }
                    mark(kind, row, l.values(kind, Int(fa)), r.values(kind, Int(fb)), shift: shift)
                } else {
                    mark(kind, row, l.values(kind, row), r.values(kind, row), shift: 0)
                }
            }
        }
        return out
    }
}
