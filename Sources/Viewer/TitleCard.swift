import Screen

/// A scene's title card: the title in big letters, its source and its `about` text.
struct TitleCard {
    let state: PresenterState
    let now: Double

    func render() -> Grid {
        let v = state.viewer
        var grid = Grid(width: max(1, v.width), height: max(1, v.height))
        let area = Rect(width: v.width, height: v.height).inset(dx: 4, dy: 1)
        guard !area.isEmpty else { return grid }
        var y = area.y + 1
        let scene = state.scene
        let title = TextBox.sanitizedForFiglet(scene.title)
        if let font = state.font, let blocks = font.wrap(title, width: area.width),
           blocks.count * font.height <= area.height / 2 {
            for block in blocks {
                let w = block.map(\.count).max() ?? 0
                for row in block {
                    _ = grid.put(row, x: area.x + max(0, (area.width - w) / 2), y: y, style: .title, clip: area.width)
                    y += 1
                }
            }
        } else {
            _ = grid.put(scene.title, x: area.x, y: y, style: Style(.title, attributes: [.bold]), clip: area.width, truncation: .ellipsis)
            y += 2
        }
        y += 1
        if let source = scene.source {
            _ = grid.put(source, x: area.x + max(0, (area.width - TextWidth.width(of: source)) / 2), y: y,
                         style: .dim, clip: area.width, truncation: .ellipsis)
            y += 2
        }
        let text = Rect(x: area.x + area.width / 8, y: y, width: area.width * 3 / 4, height: max(0, area.maxY - y - 2))
        _ = TextBox(paragraphs: scene.about.map { CellText($0) }, style: .normal, paragraphSpacing: true).draw(in: text, on: &grid)
        let footer = "\(state.progress(now: now))  ·  → to begin"
        _ = grid.put(footer, x: max(0, area.maxX - TextWidth.width(of: footer)), y: area.maxY - 1, style: .dim, clip: area.width)
        return v.ascii ? grid.asciiFallback() : grid
    }
}

extension TextBox {
    /// FIGlet fonts cover printable ASCII: anything else becomes '?', so a title never draws blank.
    static func sanitizedForFiglet(_ text: String) -> String {
        String(text.map { $0.isASCII && !($0.asciiValue.map { $0 < 32 || $0 == 127 } ?? true) ? $0 : "?" })
    }
}
