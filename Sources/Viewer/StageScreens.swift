import Screen

/// A scene's title card: the title in big letters, its source, the kernel and variant the run
/// stands for, and its `about` text.
struct TitleCard {
    let state: PresenterState
    let now: Double

    func render() -> Grid {
        let v = state.viewer
        var grid = Grid(width: max(1, v.width), height: max(1, v.height))
        let area = Rect(width: v.width, height: v.height).inset(dx: 4, dy: 1)
        guard !area.isEmpty else { return grid }
        let scene = state.scene
        var y = drawBigTitle(scene.title, font: state.font, in: area, on: &grid) + 1
        if let source = scene.source {
            _ = grid.put(source, x: area.x + max(0, (area.width - TextWidth.width(of: source)) / 2), y: y,
                         style: .dim, clip: area.width, truncation: .ellipsis)
            y += 2
        }
        let t = v.trace
        let run = "\(t.config.kernel.label)" + (t.variant.map { " · variant \($0.name): \($0.title)" } ?? "")
            + (v.compared.map { "  ⇄  compared with \(v.sideName($0.trace))" } ?? "")
        _ = grid.put(run, x: area.x + max(0, (area.width - TextWidth.width(of: run)) / 2), y: y,
                     style: Style(.header, attributes: [.bold]), clip: area.width, truncation: .ellipsis)
        y += 2
        let text = Rect(x: area.x + area.width / 8, y: y, width: area.width * 3 / 4, height: max(0, area.maxY - y - 2))
        _ = TextBox(paragraphs: scene.about.map { CellText($0) }, style: .normal, paragraphSpacing: true).draw(in: text, on: &grid)
        let footer = "\(state.progress(now: now))  ·  → to begin"
        _ = grid.put(footer, x: max(0, area.maxX - TextWidth.width(of: footer)), y: area.maxY - 1, style: .dim, clip: area.width)
        if let notice = state.notice { grid.put(notice, x: area.x, y: area.maxY - 1, style: .dim, clip: area.width / 3) }
        return v.ascii ? grid.asciiFallback() : grid
    }
}


/// The speaker's screen for `rmpviz notes`: the step in big letters when it fits, the notes, what
/// comes next and the time, all from the notes file.
public struct NotesScreen: Sendable {
    public var text: String
    public let font: FigletFont?
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var quit = false
    public var ascii = false

    public init(text: String, font: FigletFont?, width: Int, height: Int) {
        self.text = text
        self.font = font
        self.width = width
        self.height = height
    }

    public mutating func handle(_ key: Key) {
        switch key {
        case .resize(let w, let h):
            width = max(1, w)
            height = max(1, h)
        case .char("q"), .ctrl("c"): quit = true
        default: break
        }
    }

    public func render() -> Grid {
        var grid = Grid(width: max(1, width), height: max(1, height))
        let area = Rect(width: width, height: height).inset(dx: 2, dy: 1)
        guard !area.isEmpty else { return grid }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let elapsed = lines.first ?? ""
        let next = lines.last { $0.hasPrefix("next: ") } ?? ""
        let rest = lines.dropFirst().filter { $0 != next }
        let heading = rest.prefix { !$0.isEmpty }
        let notes = rest.dropFirst(heading.count).joined(separator: "\n").trimmingCharacters(in: "\n")
        _ = grid.put(elapsed, x: max(area.x, area.maxX - TextWidth.width(of: elapsed)), y: area.y, style: .title, clip: area.width)
        var y = area.y
        for h in heading {
            _ = grid.put(h, x: area.x, y: y, style: .dim, clip: max(0, area.width - TextWidth.width(of: elapsed) - 2), truncation: .ellipsis)
            y += 1
        }
        y += 1
        // Plain text at one steady size: letters that grow and shrink with each note's length were
        // hard to read at a glance.
        let paragraphs = notes.split(separator: "\n", omittingEmptySubsequences: false).map { CellText(String($0)) }
        let box = Rect(x: area.x, y: y, width: area.width, height: max(0, area.maxY - y - 2))
        _ = TextBox(paragraphs: paragraphs, style: Style(.normal, attributes: [.bold])).draw(in: box, on: &grid)
        _ = grid.put(next, x: area.x, y: area.maxY - 1, style: .key, clip: area.width, truncation: .ellipsis)
        return ascii ? grid.asciiFallback() : grid
    }
}

extension String {
    func replacingNewlines() -> String { split(separator: "\n").joined(separator: " ") }
}

/// The deck's cover: its title in big letters and the scenes it holds.
struct CoverCard {
    let state: PresenterState
    let now: Double

    func render() -> Grid {
        let v = state.viewer
        var grid = Grid(width: max(1, v.width), height: max(1, v.height))
        let area = Rect(width: v.width, height: v.height).inset(dx: 4, dy: 1)
        guard !area.isEmpty, let title = state.talkTitle else { return grid }
        var y = drawBigTitle(title, font: state.font, in: area, on: &grid) + 1
        // The talk's scenes, as many as fit above the footer.
        for e in state.entries where y < area.maxY - 2 {
            guard let t = e.traces.indices.contains(e.variant) ? e.traces[e.variant] : e.traces.first else { continue }
            let line = t.scene.title + (e.exploration == nil ? "" : " (outcome matrix)") + (e.compare == nil ? "" : " (compared)")
            grid.put(line, in: Rect(x: area.x, y: y, width: area.width, height: 1), style: .dim, align: .center)
            y += 1
        }
        let footer = "\(state.entries.count) scenes · S lists them · → to begin"
        grid.put(footer, x: max(0, area.maxX - TextWidth.width(of: footer)), y: area.maxY - 1, style: .dim, clip: area.width)
        if let notice = state.notice { grid.put(notice, x: area.x, y: area.maxY - 1, style: .dim, clip: area.width / 3) }
        return v.ascii ? grid.asciiFallback() : grid
    }
}

/// The presenter's scene list: every entry with its kernel and variant; a number then Enter jumps.
struct SceneList {
    let state: PresenterState

    func render() -> Grid {
        let v = state.viewer
        var grid = Grid(width: max(1, v.width), height: max(1, v.height))
        let box = Box(title: " scenes: a number then Enter jumps there, Esc closes ", style: .border, titleStyle: .title, ascii: v.ascii)
        let inner = box.draw(in: Rect(width: v.width, height: v.height).inset(dx: 2, dy: 1), on: &grid)
        for (i, e) in state.entries.enumerated() where i < inner.height - 2 {
            guard let t = e.traces.indices.contains(e.variant) ? e.traces[e.variant] : e.traces.first else { continue }
            let what = e.exploration == nil ? "" : " (outcome matrix)"
            let line = "\(i + 1 < 10 ? " " : "")\(i + 1)  \(t.scene.title)\(what) · kernel \(t.config.kernel.rawValue)"
                + (t.variant.map { " · \($0.name)" } ?? "") + (e.compare.map { " ⇄ \($0.label)" } ?? "")
            grid.put(line, x: inner.x + 1, y: inner.y + i, style: i == state.current ? .highlight : .normal,
                     clip: inner.width - 2, truncation: .ellipsis)
        }
        grid.put("go to scene: \(state.sceneNumber)▏", x: inner.x + 1, y: inner.maxY - 1, style: .key, clip: inner.width - 2)
        return v.ascii ? grid.asciiFallback() : grid
    }
}

/// A title in FIGlet letters, centred, when it fits in half the area; else in bold. Returns the
/// row after it.
func drawBigTitle(_ title: String, font: FigletFont?, in area: Rect, on grid: inout Grid) -> Int {
    var y = area.y + 1
    if let font, let blocks = font.wrap(title, width: area.width), blocks.count * font.height <= area.height / 2 {
        for block in blocks {
            let w = block.map(\.count).max() ?? 0
            for row in block {
                grid.put(row, x: area.x + max(0, (area.width - w) / 2), y: y, style: .title, clip: area.width)
                y += 1
            }
        }
        return y
    }
    grid.put(title, x: area.x, y: y, style: Style(.title, attributes: [.bold]), clip: area.width, truncation: .ellipsis)
    return y + 2
}
