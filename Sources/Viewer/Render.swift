import MemoryModel
import Screen
import StepEngine

extension ViewerState {
    /// The whole screen as a grid: a pure function of the state and its size.
    public func render() -> Grid {
        var grid = Grid(width: max(1, width), height: max(1, height))
        let layout = ViewerLayout(width: width, height: height)
        if layout.tooSmall {
            drawTooSmall(on: &grid)
            return grid
        }
        drawTop(on: &grid, layout.top)
        switch mode {
        case .help(let s):
            drawHelp(on: &grid, in: layout.tablesArea.union(layout.narration), scroll: s)
        case .history(let target, let s):
            HistoryView(state: self, target: target, scroll: s).draw(on: &grid, in: layout.tablesArea.union(layout.narration))
        case .tables, .find:
            let changed = ChangedCells(self)
            TablesView(self, changed: changed).draw(on: &grid, layout: layout)
            drawNarration(on: &grid, in: layout.narration, changed: changed)
            drawEnding(on: &grid, over: layout.tablesArea)
        }
        if let presentation {
            grid.fill(layout.footer, with: Cell(" ", style: .header))
            let w = TextWidth.width(of: presentation)
            _ = grid.put(presentation, x: max(0, layout.footer.maxX - w - 1), y: layout.footer.y, style: .header, clip: w)
        } else {
            drawFooter(on: &grid, layout.footer)
        }
        if !diagnostics.isEmpty { drawDiagnostics(on: &grid, over: layout.tablesArea) }
        return ascii ? grid.asciiFallback() : grid
    }

    /// A broken edit under `--watch`: its diagnostics over the last good frame.
    private func drawDiagnostics(on grid: inout Grid, over area: Rect) {
        let lines = ViewerState.leftAligned(Array(diagnostics.prefix(max(1, area.height - 6))))
        _ = Banner(title: " the edited file has errors: showing the last good version ", lines: lines,
                   style: .error, ascii: ascii).draw(over: area.inset(dx: 2, dy: 1), on: &grid)
    }

    private func drawTooSmall(on grid: inout Grid) {
        let lines = ["terminal too small: have \(width)×\(height), need \(ViewerLayout.minWidth)×\(ViewerLayout.minHeight)",
                     "q quits"]
        for (i, line) in lines.enumerated() {
            let y = max(0, height / 2 - 1 + i)
            let text = ascii ? AsciiFallback.map(line) : line
            _ = grid.put(text, x: max(0, (width - TextWidth.width(of: text)) / 2), y: y,
                         style: i == 0 ? .warning : .dim, clip: width, truncation: .ellipsis)
        }
    }

    /// Title, variant, step, action and the worst outcome so far.
    private func drawTop(on grid: inout Grid, _ r: Rect) {
        grid.fill(r, with: Cell(" ", style: .header))
        var parts: [CellText] = [CellText(" " + scene.title + " ", style: Style(.title, attributes: [.bold]))]
        if let v = trace.variant, let vi = trace.variantIndex {
            parts.append(CellText(" variant \(vi + 1)/\(scene.variants.count) \(v.name) ", style: .header))
        }
        let stepTitle = scene.steps.indices.contains(step) ? scene.steps[step].title : ""
        parts.append(CellText(" step \(step + 1)/\(trace.stepCount) \(stepTitle) ", style: .header))
        parts.append(CellText(" action \(index + 1)/\(trace.actionCount) ", style: .header))
        let worst = Trace.worst(of: trace.outcomes(through: index))
        let worstStyle = worst.raised.map { severityStyle($0.outcome.severity) } ?? .header
        // The most important facts go last but are drawn first from the right, so a narrow screen cuts the title.
        let right = " worst: \(worst) "
        let rightWidth = TextWidth.width(of: right)
        _ = grid.put(right, x: max(0, r.maxX - rightWidth), y: r.y, style: worstStyle, clip: rightWidth)
        var x = r.x
        let limit = r.maxX - rightWidth - 1
        for (i, p) in parts.enumerated() {
            guard x < limit else { break }
            x += grid.put(p.text, x: x, y: r.y, style: p.style ?? .header, clip: limit - x, truncation: .ellipsis)
            if i < parts.count - 1, x < limit { x += grid.put("│", x: x, y: r.y, style: .header, clip: 1) }
        }
    }

    private func drawNarration(on grid: inout Grid, in r: Rect, changed: ChangedCells) {
        let stepTitle = scene.steps.indices.contains(step) ? scene.steps[step].title : ""
        let box = Box(title: " step \(step + 1)/\(trace.stepCount): \(stepTitle) ", style: .border, titleStyle: .title, ascii: ascii)
        let inner = box.draw(in: r, on: &grid).inset(left: 1, right: 1)
        var paragraphs: [CellText] = []
        if index >= 0 {
            paragraphs.append(CellText("▶ action \(index + 1)/\(trace.actionCount): \(trace.title(of: index))", style: Style(.normal, attributes: [.bold])))
            paragraphs.append(CellText("  " + trace.summary(of: index), style: .normal))
            for o in trace.outcomes(of: index) {
                paragraphs.append(CellText("\(severityMark(o.outcome.severity)) \(o.outcome.severity) \(o.outcome.kind.rawValue): \(o.outcome.reason)",
                                           style: severityStyle(o.outcome.severity)))
            }
        }
        if let s = activeSlot { paragraphs.append(pageLine(slot: s, changed: changed)) }
        if scene.steps.indices.contains(step) {
            for say in scene.steps[step].say { paragraphs.append(CellText(say, style: .normal)) }
        }
        if let message { paragraphs.append(CellText("» " + message, style: .warning)) }
        if case .find(let q) = mode { paragraphs.append(CellText("find: \(q)▏ (Enter to find, Esc to cancel)", style: .key)) }
        if !number.isEmpty { paragraphs.append(CellText("go to step: \(number)▏ (Enter)", style: .key)) }
        _ = TextBox(paragraphs: paragraphs, style: .normal).draw(in: inner, on: &grid)
    }

    /// KVM's and the guest's view of the active page, with changed fields marked.
    private func pageLine(slot s: Int, changed: ChangedCells) -> CellText {
        let g = world.geometry
        let p = world.pages[s]
        func mark(_ field: String, _ text: String) -> String { changed.pageFields.contains(field) ? "*" + text : text }
        let npt = p.npt.map { "\(hex(g.pfn($0.frame))) \($0.kind.rawValue)" } ?? "none"
        var line = "\(g.name(ofSlot: s)) gfn \(hex(g.gfn(ofSlot: s))): attribute \(mark("attribute", p.attribute.rawValue))"
        line += " · NPT \(mark("npt", npt)) · guest view \(mark("view", p.guestView.rawValue))"
        if let r = p.pending {
            line += " · " + mark("request", "request \(r.kind.rawValue)\(r.forwarded ? ", forwarded" : "")\(r.failed ? ", will fail" : "")")
        } else if changed.pageFields.contains("request") {
            line += " · *request done"
        }
        return CellText(line, style: changed.pageFields.isEmpty ? .dim : .info)
    }

    private func drawFooter(on grid: inout Grid, _ r: Rect) {
        grid.fill(r, with: Cell(" ", style: .header))
        let memory = " \(world.framesInUse) frames back \(world.backedPages) gfns "
        let mw = TextWidth.width(of: memory)
        _ = grid.put(memory, x: max(0, r.maxX - mw), y: r.y, style: .header, clip: mw)
        var x = r.x + 1
        for b in KeyMap.bindings {
            guard let label = b.footer, x + TextWidth.width(of: label) + 2 < r.maxX - mw else { continue }
            x += grid.put(label, x: x, y: r.y, style: .key, clip: r.maxX - mw - x) + 2
        }
    }

    func severityStyle(_ s: Severity) -> Style {
        switch s {
        case .info: .info
        case .warning: .warning
        case .error: .error
        case .fatal: .fatal
        }
    }

    func severityMark(_ s: Severity) -> String {
        switch s {
        case .info: "·"
        case .warning: "▲"
        case .error: "✖"
        case .fatal: "‼"
        }
    }
}

extension Rect {
    /// The smallest rect holding both.
    func union(_ other: Rect) -> Rect {
        let x0 = min(x, other.x), y0 = min(y, other.y)
        return Rect(x: x0, y: y0, width: max(maxX, other.maxX) - x0, height: max(maxY, other.maxY) - y0)
    }
}
