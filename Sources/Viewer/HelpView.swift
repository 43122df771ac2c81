import Screen

extension ViewerState {
    /// The help screen, made from the key map so that it always tells the truth.
    func drawHelp(on grid: inout Grid, in area: Rect, scroll: Int) {
        let inner = Box(title: " keys (Esc or ? to close) ", style: .border, titleStyle: .title, ascii: ascii).draw(in: area, on: &grid)
        var lines: [(String, String)] = KeyMap.bindings.map { b in
            let keys: String
            if case .digit = b.action { keys = "0-9" } else { keys = b.keys.map(\.label).joined(separator: " ") }
            return (keys, b.help)
        }
        lines += [
            ("click", "select a row (and focus its table)"),
            ("wheel", "scroll the table under the pointer"),
            ("", ""),
            ("*", "a cell the last action changed (also bold/reverse)"),
            ("bold", "rows of the page the last action touched, in all four tables"),
            ("N", "the NPT entry of the gfn points at this fd's frame"),
            ("P / -", "direct map entry present / removed"),
            ("A V", "RMP Assigned and Validated bits"),
        ]
        let visible = max(0, inner.height)
        let start = min(scroll, max(0, lines.count - visible))
        for (row, line) in lines.dropFirst(start).prefix(visible).enumerated() {
            let y = inner.y + row
            _ = grid.put(line.0, x: inner.x + 1, y: y, style: .key, clip: 22, truncation: .ellipsis)
            _ = grid.put(line.1, x: inner.x + 24, y: y, style: .normal, clip: max(0, inner.maxX - inner.x - 25), truncation: .ellipsis)
        }
    }
}
