import MemoryModel
import Screen
import StepEngine

extension ViewerState {
    /// The help screen, made from the key map so that it always tells the truth.
    func drawHelp(on grid: inout Grid, in area: Rect, scroll: Int) {
        let inner = Box(title: " keys (Esc or ? to close) ", style: .border, titleStyle: .title, ascii: ascii).draw(in: area, on: &grid)
        var lines: [(String, String)] = KeyMap.legend(under: keyLayer).map { b in
            let digits = b.keys.contains(.char("0")) && b.keys.contains(.char("9"))
            return (digits ? "0-9" : b.keys.map(\.label).joined(separator: " "), b.help)
        }
        if !keyLayer.isEmpty { lines.insert(("presenting", "the presenter's keys first; the viewer's other keys still work"), at: 0) }
        lines += [
            ("click", "select a row (and focus its table)"),
            ("wheel", "scroll the table under the pointer"),
            ("", ""),
            ("*", "a cell the last action changed (also bold/reverse)"),
            ("≠", "in a comparison (c): a cell whose meaning differs between the sides (not its frame number); it takes the place of *"),
            ("bold", "rows of the page the last action touched, in all four tables"),
        ]
        // The columns, from the tables' own specs.
        lines += TableSpec.legend
        lines.append(("", ""))
        // The legend of this run's settings, from the model's one settings table.
        let config = trace.config
        lines.append(("settings", "of this run: \(config.kernel.label); 'set' marks a value the scene or command line chose"))
        for spec in SettingKey.specs where spec.key != .kernel {
            let origin = config.explicit[spec.key] == nil ? "" : " (set)"
            lines.append(("\(spec.key.rawValue)=\(config.value(of: spec.key))\(origin)", spec.meaning))
        }
        let visible = max(0, inner.height)
        let start = min(scroll, max(0, lines.count - visible))
        for (row, line) in lines.dropFirst(start).prefix(visible).enumerated() {
            let y = inner.y + row
            // Wide enough for the longest setting with its value ("implicit-conversion=in-place (set)").
            _ = grid.put(line.0, x: inner.x + 1, y: y, style: .key, clip: 34, truncation: .ellipsis)
            _ = grid.put(line.1, x: inner.x + 36, y: y, style: .normal, clip: max(0, inner.maxX - inner.x - 37), truncation: .ellipsis)
        }
    }
}

/// The banner drawn over the tables at a run's last action: a kernel-style oops for a panic, the
/// gfn and its frames for a double allocation, the outcome's reason otherwise.
extension ViewerState {
    /// `larger`: where the banner may spread when the tables' area is too short for all its lines
    /// (an oops at 100×30): the kernel's lines are never cut.
    func drawEnding(on grid: inout Grid, over area: Rect, orLarger larger: Rect) {
        guard index == trace.actionCount - 1, !bannerHidden, let raised = trace.ending.raised else { return }
        let o = raised.outcome
        var lines: [CellText]
        let title: String
        if let fault = o.fault {
            title = o.kind == .hostPanic ? " host panic " : " oops "
            let f = fault.frame - world.geometry.pfnBase
            let entry = (0..<world.geometry.frameCount).contains(f) ? world.frames[f] : nil
            let oops = KernelOops(o, fault: fault, kernel: trace.config.kernel,
                                  rmpGFN: entry?.assigned == true ? entry?.rmpGFN : o.gfn, asid: trace.config.asid)
            // One width for both parts, so the banner's centring keeps them in one left margin.
            let all = ViewerState.leftAligned(oops.kernelLines + [KernelOops.explanationHeading] + oops.explanation.map { "  " + $0 })
            let k = oops.kernelLines.count
            lines = Array(all[..<k]) + [CellText("")] + all[k...].map { CellText($0.text, style: .dim) }
        } else {
            title = " ending: \(o.kind == .doubleAllocation ? "double allocation" : o.kind.rawValue) "
            // A non-fatal ending may have been raised steps ago; say when, so it is not read as this frame.
            let width = max(20, min(100, area.width - 10))
            lines = ViewerState.leftAligned(TextBox.wrap(o.reason, width: width)) + [CellText(""),
                     CellText("raised at step \(raised.step + 1), action \(raised.action + 1) (\(o.severity))", style: .dim)]
        }
        if trace.stepsRun < trace.stepCount {
            let first = trace.stepsRun + 1
            let range = first == trace.stepCount ? "Step \(first)" : "Steps \(first)–\(trace.stepCount)"
            lines.append(CellText(""))
            lines.append(CellText("\(range) not reached: the run stopped here.", style: .notReached))
        }
        let style: Style = o.severity == .fatal ? .fatal : .banner
        let banner = Banner(title: title, lines: lines, style: style, ascii: ascii)
        let fits = banner.preferredSize.height <= area.height - 2
        _ = banner.draw(over: (fits ? area : larger).inset(dx: 2, dy: 1), on: &grid)
    }

    /// Lines padded to one width, so a banner's centring keeps them left-aligned (an oops as dmesg
    /// prints it, a caret under its column).
    static func leftAligned(_ lines: [String], style: Style? = nil) -> [CellText] {
        let w = lines.map { TextWidth.width(of: $0) }.max() ?? 0
        return lines.map { CellText($0 + String(repeating: " ", count: max(0, w - TextWidth.width(of: $0))), style: style) }
    }
}
