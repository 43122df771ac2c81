import MemoryModel
import StepEngine

extension ViewerState {
    /// The pure update: one key in, the next state out. Side effects (quitting, repainting) are
    /// flags the shell reads, never calls made from here.
    public mutating func handle(_ key: Key) {
        message = nil
        wantsRedraw = false
        switch key {
        case .resize(let w, let h):
            width = max(1, w)
            height = max(1, h)
            followActivePage()
            return
        case .click(let x, let y):
            click(x: x, y: y)
            return
        case .wheelUp(let x, let y), .wheelDown(let x, let y):
            let down = if case .wheelDown = key { true } else { false }
            wheel(x: x, y: y, down: down)
            return
        default: break
        }
        if case .find(let query) = mode {
            findKey(key, query: query)
            return
        }
        guard let action = KeyMap.action(for: key) else { return }
        if layout.tooSmall, action != .quit, action != .redraw { return }
        apply(action)
    }

    public mutating func apply(_ action: ViewerAction) {
        if case .digit(let d) = action {
            if number.count < 6 { number += String(d) }
            return
        }
        let typed = number
        number = ""
        switch mode {
        case .help(let s):
            switch action {
            case .quit: quit = true
            case .selectDown, .nextAction: mode = .help(scroll: s + 1)
            case .selectUp, .previousAction: mode = .help(scroll: max(0, s - 1))
            default: mode = .tables
            }
            return
        case .history(let target, let s):
            switch action {
            case .quit: quit = true
            case .selectDown: mode = .history(target, scroll: s + 1)
            case .selectUp: mode = .history(target, scroll: max(0, s - 1))
            case .nextStep, .selectPageDown: mode = .history(target, scroll: s + layout.tableCapacity)
            case .previousStep, .selectPageUp: mode = .history(target, scroll: max(0, s - layout.tableCapacity))
            case .first: mode = .history(target, scroll: 0)
            case .last: mode = .history(target, scroll: max(0, trace.actionCount - 1))
            case .help: mode = .help(scroll: 0)
            case .toggleHistoryAll: toggleHistoryAll()
            default: mode = .tables
            }
            return
        case .tables, .find:
            break
        }
        switch action {
        case .nextAction:
            if index + 1 >= trace.actionCount { message = endMessage } else { move(to: index + 1) }
        case .previousAction:
            if index <= 0 { message = "this is the first action" } else { move(to: index - 1) }
        case .nextStep: goToStep(step + 1)
        case .previousStep:
            let start = trace.actions(ofStep: step).lowerBound
            goToStep(index > start ? step : step - 1)
        case .first: move(to: 0)
        case .last: move(to: trace.actionCount - 1)
        case .enter:
            if let n = Int(typed) { goToStep(n - 1) } else { openHistory() }
        case .nextVariant: switchVariant(by: 1)
        case .nextKernel: switchKernel()
        case .previousVariant: switchVariant(by: -1)
        case .focusNext, .focusPrevious:
            // A narrow comparison shows one table pair per side: Tab moves to the other pair.
            let pairs = compared != nil && compareLayout.tablesPerSide == 2
            let by = pairs ? 2 : (action == .focusNext ? 1 : 3)
            focus = TableKind(rawValue: ((pairs ? focus.rawValue / 2 * 2 : focus.rawValue) + by) % 4) ?? .rmp
        case .toggleCompare: toggleComparison()
        case .cycleCompare: cycleComparison()
        case .selectUp: select(focus, selection[focus.rawValue] - 1)
        case .selectDown: select(focus, selection[focus.rawValue] + 1)
        case .selectPageUp: select(focus, selection[focus.rawValue] - tableCapacity)
        case .selectPageDown: select(focus, selection[focus.rawValue] + tableCapacity)
        case .find: mode = .find(query: "")
        case .help: mode = .help(scroll: 0)
        case .back:
            // Esc over the ending banner hides it; the tables under it can then be read.
            if index == trace.actionCount - 1, trace.ending.raised != nil { bannerHidden = true }
            mode = .tables
        case .toggleBanner: bannerHidden.toggle()
        case .toggleHistoryAll: message = "a: in a page history (Enter on a row), all actions or only the page's"
        case .quit: quit = true
        case .redraw: wantsRedraw = true
        case .digit: break
        }
    }

    private var endMessage: String {
        trace.stepsRun < trace.stepCount
            ? "the run ended at step \(trace.stepsRun) (\(trace.ending)): steps \(trace.stepsRun + 1)–\(trace.stepCount) not reached"
            : "this is the last action"
    }

    /// Goes to the first action of a step (0-based); a step after a fatal ending is not reached.
    mutating func goToStep(_ s: Int) {
        guard s >= 0 else {
            message = "this is the first step"
            return
        }
        guard s < trace.stepCount else {
            message = "there are \(trace.stepCount) steps"
            return
        }
        guard trace.isReached(step: s) else {
            message = "step \(s + 1) is not reached: the run ended at step \(trace.stepsRun) (\(trace.ending))"
            move(to: trace.actionCount - 1)
            return
        }
        move(to: trace.actions(ofStep: s).lowerBound)
    }

    mutating func openHistory() {
        let row = selection[focus.rawValue]
        var frame = Int32(row)
        if focus.isFrameTable, let c = compared {
            // A comparison's frame rows are gfns: the history is of the left's frame in the row.
            let map = FrameRowMap(rows: c.rows, isLeft: true, index: index, world: world, keyInDirectMap: true)
            guard let f = map.frame(ofRow: row).frame else {
                message = "no frame has backed \(map.key(ofRow: row)) on the left yet"
                return
            }
            frame = f
        }
        let target: HistoryTarget = focus.isFrameTable ? .frame(frame) : .slot(world.geometry.slot(atGFNRank: row))
        mode = .history(target, scroll: historyScroll(for: target))
    }

    // MARK: - Mouse

    /// Which table and line a screen position is on, in the layout on screen.
    func hitTable(x: Int, y: Int) -> (table: TableKind, line: Int)? {
        compared == nil ? layout.hit(x: x, y: y) : compareLayout.hit(x: x, y: y)
    }

    mutating func click(x: Int, y: Int) {
        guard case .tables = mode, let hit = hitTable(x: x, y: y) else { return }
        focus = hit.table
        if hit.line >= 0 { select(hit.table, scroll[hit.table.rawValue] + hit.line) }
    }

    mutating func wheel(x: Int, y: Int, down: Bool) {
        switch mode {
        case .help(let s): mode = .help(scroll: max(0, s + (down ? 3 : -3)))
        case .history(let t, let s): mode = .history(t, scroll: max(0, s + (down ? 3 : -3)))
        case .find: break
        case .tables:
            guard let hit = hitTable(x: x, y: y) else { return }
            let t = hit.table.rawValue
            let visible = tableCapacity
            let count = rowCount(hit.table)
            scroll[t] = min(max(0, scroll[t] + (down ? 3 : -3)), max(0, count - visible))
        }
    }

    // MARK: - Find

    mutating func findKey(_ key: Key, query: String) {
        switch key {
        case .escape: mode = .tables
        case .backspace: mode = .find(query: String(query.dropLast()))
        case .enter:
            mode = .tables
            find(query)
        case .char(let c) where query.count < 40 && !c.isNewline:
            mode = .find(query: query + String(c))
        case .ctrl("c"): quit = true
        default: break
        }
    }

    /// Finds a page by name (exact, then prefix, then substring), a gfn, or a frame, and selects it.
    mutating func find(_ raw: String) {
        let query = raw.trimmingCharacters(in: " ")
        guard !query.isEmpty else { return }
        let g = world.geometry
        if let n = Config.parseNumber(query) {
            if let s = g.slot(ofGFN: n) {
                focusOn(slot: s)
                message = "gfn \(hex(n)): \(g.name(ofSlot: s))"
                return
            }
            if g.layout.pfns.contains(n) {
                focus = .rmp
                selectFrame(Int32(n - g.pfnBase))
                message = "pfn \(hex(n))" + (compared != nil && rowOfFrame(Int32(n - g.pfnBase)) == nil ? ": it backs no gfn on the left" : "")
                return
            }
        }
        let pages = g.layout.pages
        let base = query.split(separator: "[").first.map(String.init) ?? query
        let index = query.contains("[") ? Int(query.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }) ?? 0 : 0
        let match = pages.firstIndex { $0.name == base } ?? pages.firstIndex { $0.name.hasPrefix(base) }
            ?? pages.firstIndex { $0.name.contains(base) || ($0.label ?? "").contains(query) }
        guard let p = match else {
            message = "no page, gfn or pfn matches '\(query)'"
            return
        }
        focusOn(slot: g.slotStart[p] + min(max(0, index), pages[p].count - 1))
        message = "found \(pages[p].name)"
    }

    mutating func focusOn(slot s: Int) {
        let rank = world.geometry.rank(ofSlot: s)
        focus = .sharedFD
        select(.sharedFD, rank)
        select(.privateFD, rank)
        let page = world.pages[s]
        let f = page.privateFrame >= 0 ? page.privateFrame : page.sharedFrame
        if f >= 0 { selectFrame(f) }
    }

    /// The frame tables' row of a frame: the frame's own row, or in a comparison the aligned row
    /// that shows it on the left.
    func rowOfFrame(_ f: Int32) -> Int? {
        guard let c = compared else { return Int(f) }
        return c.rows.row(showing: f, left: true, at: index, in: world)
    }

    /// Selects a frame in both frame tables.
    mutating func selectFrame(_ f: Int32) {
        guard let row = rowOfFrame(f) else { return }
        select(.rmp, row)
        select(.directMap, row)
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}

extension ViewerState {
    /// Moves straight to an action (exports, tests, the shell's reload).
    public mutating func jump(to action: Int) {
        move(to: action)
    }
}
