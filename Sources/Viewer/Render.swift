import MemoryModel
import Screen
import StepEngine

extension ViewerState {
    /// The whole screen as a grid: a pure function of the state and its size.
    public func render() -> Grid {
        var grid = Grid(width: max(1, width), height: max(1, height))
        let layout = layout
        if layout.tooSmall {
            drawTooSmall(on: &grid)
            return grid
        }
        let comparing = compared.flatMap { c -> ComparedRun? in
            switch mode {
            case .tables, .find: c
            case .help, .history: nil
            }
        }
        if let c = comparing {
            drawComparison(c, on: &grid)
        } else {
            drawTop(on: &grid, layout.top)
        }
        switch mode {
        case .help(let s):
            drawHelp(on: &grid, in: layout.tablesArea.union(layout.narration), scroll: s)
        case .history(let target, let s):
            HistoryView(state: self, target: target, scroll: s).draw(on: &grid, in: layout.tablesArea.union(layout.narration))
        case .tables, .find:
            guard comparing == nil else { break }
            let changed = ChangedCells(self, visible: visibleRows(capacity: layout.tableCapacity))
            TablesView(self, changed: changed, tables: layout.tables, capacity: layout.tableCapacity).draw(on: &grid)
            drawNarration(on: &grid, in: layout.narration, changed: changed)
            drawEnding(on: &grid, over: layout.tablesArea, orLarger: layout.tablesArea.union(layout.narration))
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

    /// Whether a table's row is on screen (frame rows by frame, fd rows by rank), for tables that
    /// show `capacity` rows (worked out once: the layout wraps the narration to find it).
    func visibleRows(capacity: Int) -> (TableKind, Int) -> Bool {
        let scroll = scroll
        return { kind, row in
            let first = scroll[kind.rawValue]
            return row >= first && row < first + capacity
        }
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

    /// Title, variant, kernel, step, action and the worst outcome so far. The counters, the kernel
    /// and the worst outcome always show (shorter forms first give way); a title shows whole or not
    /// at all (the narration box names the step, the title card the scene).
    private func drawTop(on grid: inout Grid, _ r: Rect) {
        grid.fill(r, with: Cell(" ", style: .header))
        let stepTitle = scene.steps.indices.contains(step) ? scene.steps[step].title : ""
        let kernel = trace.config.kernel.rawValue
        let variants: [String?] = trace.variant.map { v in
            [" variant \((trace.variantIndex ?? 0) + 1)/\(scene.variants.count) \(v.name) ", " \(v.name) "]
        } ?? [nil]
        let kernels = [" kernel \(kernel) ", " \(kernel) "]
        let stepText = " step \(step + 1)/\(trace.stepCount) "
        let actionText = " action \(index + 1)/\(trace.actionCount) "
        let worst = trace.worst(through: index)
        let worstText = worst.raised == nil ? " worst: none yet " : " worst: \(worst) "
        func w(_ s: String?) -> Int { s.map { TextWidth.width(of: $0) + 1 } ?? 0 }
        // The longest forms that fit, giving way in this order: the variant's counter, then "kernel".
        var chosen = (variants.last ?? nil, kernels[1])
        for k in kernels {
            if let v = variants.first(where: { w($0) + w(k) + w(stepText) + w(actionText) + w(worstText) <= r.width }) {
                chosen = (v, k)
                break
            }
        }
        let fixed = w(chosen.0) + w(chosen.1) + w(stepText) + w(actionText) + w(worstText)
        var free = max(0, r.width - fixed)
        // The step title first (it changes as you step), then the scene's if there is room for both.
        let stepTitleWidth = TextWidth.width(of: stepTitle) + 1 <= free ? TextWidth.width(of: stepTitle) + 1 : 0
        free -= stepTitleWidth
        let sceneTitle = " " + scene.title + " "
        let titleWidth = TextWidth.width(of: sceneTitle) + 1 <= free ? TextWidth.width(of: sceneTitle) : 0
        var x = r.x
        func put(_ text: String, _ style: Style, _ width: Int) {
            guard width > 0, x < r.maxX else { return }
            x += grid.put(text, x: x, y: r.y, style: style, clip: min(width, r.maxX - x), truncation: .ellipsis)
        }
        func bar() { if x > r.x { put("│", .header, 1) } }
        if titleWidth > 0 { put(sceneTitle, Style(.title, attributes: [.bold]), titleWidth) }
        if let v = chosen.0 {
            bar()
            put(v, .header, TextWidth.width(of: v))
        }
        bar()
        put(chosen.1, Style(.header, attributes: [.bold]), TextWidth.width(of: chosen.1))
        bar()
        put(stepText, .header, TextWidth.width(of: stepText))
        if stepTitleWidth > 0 { put(stepTitle + " ", .header, stepTitleWidth) }
        bar()
        put(actionText, .header, TextWidth.width(of: actionText))
        let worstStyle = worst.raised.map { severityStyle($0.outcome.severity) } ?? .header
        let ww = TextWidth.width(of: worstText)
        _ = grid.put(worstText, x: max(x, r.maxX - ww), y: r.y, style: worstStyle, clip: ww)
    }

    func drawNarration(on grid: inout Grid, in r: Rect, changed: ChangedCells, side: String? = nil) {
        let stepTitle = scene.steps.indices.contains(step) ? scene.steps[step].title : ""
        let box = Box(title: side.map { " \($0) " } ?? " step \(step + 1)/\(trace.stepCount): \(stepTitle) ", style: .border, titleStyle: .title, ascii: ascii)
        let inner = box.draw(in: r, on: &grid).inset(left: 1, right: 1)
        var paragraphs: [CellText] = []
        if index >= 0 {
            paragraphs.append(CellText("▶ action \(index + 1)/\(trace.actionCount): \(trace.title(of: index))", style: Style(.normal, attributes: [.bold])))
            paragraphs.append(CellText("  " + trace.summary(of: index, maxParts: 64), style: .normal))
            // An action over thousands of pages may raise thousands: the first few, and the count.
            let raised = trace.outcomes(of: index)
            for o in raised.prefix(32) {
                paragraphs.append(CellText("\(severityMark(o.outcome.severity)) \(o.outcome.severity) \(o.outcome.kind.rawValue): \(o.outcome.reason)",
                                           style: severityStyle(o.outcome.severity)))
            }
            if raised.count > 32 { paragraphs.append(CellText("… \(raised.count) outcomes in all", style: .dim)) }
        }
        if let s = activeSlot { paragraphs.append(pageLine(slot: s, changed: changed)) }
        // A comparison shows the step's text once, under both sides.
        if side == nil, scene.steps.indices.contains(step) {
            for say in scene.steps[step].say { paragraphs.append(CellText(say, style: .normal)) }
        }
        _ = TextBox(paragraphs: paragraphs, style: .normal).draw(in: inner, on: &grid)
    }

    /// KVM's and the guest's view of the active page, with changed fields marked.
    private func pageLine(slot s: Int, changed: ChangedCells) -> CellText {
        let g = world.geometry
        let p = world.pages[s]
        func mark(_ field: ChangeField, _ text: String) -> String { changed.pageFields.contains(field) ? "*" + text : text }
        let npt = p.npt.map { "\(hex(g.pfn($0.frame))) \($0.kind.rawValue)" } ?? "none"
        var line = "\(g.name(ofSlot: s)) gfn \(hex(g.gfn(ofSlot: s))): attribute \(mark(.attribute, p.attribute.rawValue))"
        line += " · NPT \(mark(.npt, npt)) · guest view \(mark(.view, p.guestView.rawValue))"
        if p.orphans > 0 || changed.pageFields.contains(.orphans) { line += " · orphans \(mark(.orphans, String(p.orphans)))" }
        if let r = p.pending {
            let failing = r.failed ? ", will fail" : r.refused ? ", refused by the VMM: will fail" : ""
            line += " · " + mark(.request, "request \(r.kind.rawValue)\(r.forwarded ? ", forwarded" : "")\(failing)")
        } else if let ended = changed.endedRequest {
            line += ended.willFail ? " · *request failed" : " · *request done"
        }
        return CellText(line, style: changed.pageFields.isEmpty ? .dim : .info)
    }

    /// The footer: a prompt or the answer to the last key when there is one (it must be seen at
    /// any size), else the key hints; memory in use on the right.
    private func drawFooter(on grid: inout Grid, _ r: Rect) {
        grid.fill(r, with: Cell(" ", style: .header))
        let memory = " \(memoryInUse) "
        let mw = TextWidth.width(of: memory)
        _ = grid.put(memory, x: max(0, r.maxX - mw), y: r.y, style: .header, clip: mw)
        var prompt: CellText?
        if case .find(let q) = mode { prompt = CellText(" find: \(q)▏ Enter to find, Esc to cancel", style: .key) }
        else if !number.isEmpty { prompt = CellText(" go to step: \(number)▏ Enter to go", style: .key) }
        else if let message { prompt = CellText(" » " + message, style: .warning) }
        if let prompt {
            _ = grid.put(prompt.text, x: r.x, y: r.y, style: prompt.style ?? .key, clip: max(0, r.width - mw - 1), truncation: .ellipsis)
            return
        }
        // The layered key map's labels, left to right while they fit; "? help" is kept to the last.
        let help = "? help"
        let end = r.maxX - mw - TextWidth.width(of: help) - 2
        var x = r.x + 1
        for entry in KeyMap.legend(under: keyLayer) {
            guard let label = entry.footer, label != help, x + TextWidth.width(of: label) + 2 <= end else { continue }
            x += grid.put(label, x: x, y: r.y, style: .key, clip: end - x) + 2
        }
        _ = grid.put(help, x: x, y: r.y, style: .key, clip: max(0, r.maxX - mw - x))
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
