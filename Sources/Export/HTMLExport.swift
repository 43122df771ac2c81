// `--format html`: one self-contained page with every frame of every variant (and, for a deck,
// title cards), for handouts or as a fallback on stage when the terminal will not cooperate. Nothing
// is fetched (no fonts, scripts or styles from elsewhere), so it works offline and from a USB stick.
//
// The frames are the viewer's grids without the terminal's footer (the page has its own buttons and
// key table instead). Where each button, key and swipe leads is computed in Swift
// (`HTMLNavigation`) and written into the page as data; the script only looks moves up.
import MemoryModel
import Screen
import StepEngine
import Viewer

/// One scene in an HTML export: its title and the runs of its variants (every action of each is
/// exported, whatever `actions` the `RunFrames` names), with the one shown first.
public struct HTMLScene: Sendable {
    public var title: String
    public var variants: [RunFrames]
    /// Index into `variants` shown when the scene opens.
    public var start: Int

    public init(title: String, variants: [RunFrames], start: Int = 0) {
        self.title = title
        self.variants = variants
        self.start = min(max(0, start), max(0, variants.count - 1))
    }
}

public enum HTMLExport {
    /// The whole document. `titleCards` (default: when there is more than one scene, as in a deck)
    /// puts a card with `title` first and a card per scene before its frames.
    public static func document(title: String, scenes: [HTMLScene], theme: Theme, titleCards: Bool? = nil) -> String {
        let nav = HTMLNavigation(scenes: scenes, titleCards: titleCards ?? (scenes.count > 1))
        var classes: [Style: String] = [:]
        var frames = ""
        var size = (width: 0, height: 0)
        func open(_ tag: String, _ index: Int, _ extra: String = "") {
            frames += "<\(tag) class=\"f\(extra)\" id=\"f\(index)\"\(index == nav.start ? "" : " hidden")>"
        }
        for (index, frame) in nav.frames.enumerated() {
            switch frame.content {
            case .deckCard:
                open("section", index, " card")
                deckCard(title: title, nav: nav, scenes: scenes, into: &frames)
                frames += "</section>\n"
            case .sceneCard(let si):
                open("section", index, " card")
                sceneCard(si, nav: nav, scenes: scenes, into: &frames)
                frames += "</section>\n"
            case .action:
                break
            }
            // A run's frames are rendered together, in order, as the viewer steps through them.
            guard case .action(let r, 0) = frame.content else { continue }
            let run = nav.runs[r]
            let given = scenes[run.scene].variants[run.variantIndex]
            let all = RunFrames(traces: given.traces, variant: given.variant, width: given.width, height: given.height,
                                compare: given.compare)
            let rows = frameRows(width: all.width, height: all.height)
            size = (max(size.width, all.width), max(size.height, rows.count))
            all.forEach { f in
                open("pre", run.firstFrame + f.action)
                appendFrame(f.grid, rows: rows, theme: theme, classes: &classes, to: &frames)
                frames += "</pre>\n"
            }
        }

        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>"
        ExportText.xmlEscaped(title, into: &out)
        out += "</title>\n<style>\n"
        out += css(theme: theme, classes: classes, columns: size.width)
        out += "</style>\n<noscript><style>.f[hidden]{display:block}#screen{display:block;overflow:auto}"
        out += "pre.f{transform:none;margin-bottom:1em}#bar{display:none}</style></noscript>\n</head>\n<body>\n"
        out += controls(nav: nav)
        out += "<main id=\"screen\" data-columns=\"\(size.width)\" data-rows=\"\(size.height)\">\n"
        out += frames
        out += "</main>\n"
        out += keyTable(decks: nav.scenes.count > 1)
        out += "<script type=\"application/json\" id=\"nav\">"
        out += nav.json
        out += "</script>\n<script type=\"application/json\" id=\"keymap\">"
        out += keyMapJSON(decks: nav.scenes.count > 1)
        out += "</script>\n<script>\n"
        out += script
        out += "</script>\n</body>\n</html>\n"
        return out
    }

    /// The rows of a frame the page shows: all but the terminal's footer (key hints for keys the
    /// page does not have, and the viewer's one-line messages).
    static func frameRows(width: Int, height: Int) -> [Int] {
        let layout = ViewerLayout(width: width, height: height)
        guard !layout.tooSmall, !layout.footer.isEmpty else { return Array(0..<height) }
        return (0..<height).filter { !(layout.footer.y..<layout.footer.maxY).contains($0) }
    }

    /// A frame's rows: plain runs as bare text, others in a span of their style's class.
    static func appendFrame(_ grid: Grid, rows: [Int], theme: Theme, classes: inout [Style: String], to out: inout String) {
        let plain = Style.normal
        for (i, y) in rows.enumerated() where y < grid.height {
            if i > 0 { out += "\n" }
            for run in ExportText.runs(grid, row: y, width: ExportText.usedWidth(grid, row: y, theme: theme)) {
                if run.style == plain {
                    ExportText.xmlEscaped(run.text, into: &out)
                    continue
                }
                let name: String
                if let known = classes[run.style] {
                    name = known
                } else {
                    name = "c\(run.style.role.rawValue)_\(run.style.attributes.rawValue)"
                    classes[run.style] = name
                }
                out += "<span class=\"\(name)\">"
                ExportText.xmlEscaped(run.text, into: &out)
                out += "</span>"
            }
        }
    }

    // MARK: - Title cards

    /// The deck's card: its title and its scenes, each a button to its card.
    static func deckCard(title: String, nav: HTMLNavigation, scenes: [HTMLScene], into out: inout String) {
        out += "<h1>"
        ExportText.xmlEscaped(title, into: &out)
        out += "</h1>\n<p class=\"dim\">\(nav.scenes.count) scene\(nav.scenes.count == 1 ? "" : "s")</p>\n<ol class=\"toc\">\n"
        for (si, entry) in nav.scenes.enumerated() {
            out += "<li><button type=\"button\" data-to=\"\(entry.entry)\">"
            ExportText.xmlEscaped(entry.title, into: &out)
            out += "</button>"
            if let trace = startTrace(si, nav: nav, scenes: scenes) {
                out += " <span class=\"dim\">"
                ExportText.xmlEscaped(runLine(trace), into: &out)
                out += "</span>"
            }
            out += "</li>\n"
        }
        out += "</ol>\n<p class=\"dim hint\">→ Space or tap to begin</p>\n"
    }

    /// A scene's card, as `present` shows it: title, source, the kernel and variant it runs, and its
    /// `about` text.
    static func sceneCard(_ si: Int, nav: HTMLNavigation, scenes: [HTMLScene], into out: inout String) {
        let entry = nav.scenes[si]
        out += "<p class=\"dim\">scene \(si + 1)/\(nav.scenes.count)</p>\n<h1>"
        ExportText.xmlEscaped(entry.title, into: &out)
        out += "</h1>\n"
        guard let trace = startTrace(si, nav: nav, scenes: scenes) else { return }
        if let source = trace.scene.source {
            out += "<p class=\"source dim\">"
            ExportText.xmlEscaped(source, into: &out)
            out += "</p>\n"
        }
        out += "<p class=\"run\">"
        ExportText.xmlEscaped(runLine(trace), into: &out)
        out += "</p>\n"
        if !trace.scene.about.isEmpty {
            out += "<div class=\"about\">\n"
            for paragraph in trace.scene.about {
                out += "<p>"
                ExportText.xmlEscaped(paragraph, into: &out)
                out += "</p>\n"
            }
            out += "</div>\n"
        }
        if entry.runs.count > 1 {
            out += "<p class=\"dim\">variants: "
            ExportText.xmlEscaped(entry.runs.map { nav.runs[$0].name }.joined(separator: ", "), into: &out)
            out += " (v switches, at the same step)</p>\n"
        }
    }

    static func startTrace(_ si: Int, nav: HTMLNavigation, scenes: [HTMLScene]) -> Trace? {
        let entry = nav.scenes[si]
        guard nav.runs.indices.contains(entry.startRun) else { return nil }
        return scenes[si].variants[nav.runs[entry.startRun].variantIndex].trace
    }

    /// "kernel mainline (6.11+) · variant discard: The VMM frees the shared page".
    static func runLine(_ trace: Trace) -> String {
        trace.config.kernel.label + (trace.variant.map { " · variant \($0.name): \($0.title)" } ?? "")
    }

    // MARK: - Controls and keys

    /// The page's own controls in place of the terminal's footer: step and action buttons, the
    /// frame counter and caption, a variant switch and, for a deck, a scene switch.
    static func controls(nav: HTMLNavigation) -> String {
        var out = "<nav id=\"bar\">\n"
        func button(_ m: HTMLNavigation.Move, _ text: String) {
            let keys = pageBindings(decks: nav.scenes.count > 1).first { $0.move == m.rawValue }?.labels ?? []
            out += "<button type=\"button\" id=\"b-\(m.rawValue)\" data-move=\"\(m.rawValue)\" title=\""
            ExportText.xmlEscaped(m.help + (keys.isEmpty ? "" : " (" + keys.joined(separator: " ") + ")"), into: &out)
            out += "\" aria-label=\"\(m.help)\">\(text)</button>\n"
        }
        button(.previousStep, "◀◀")
        button(.previous, "◀")
        out += "<span id=\"count\">\(nav.start + 1)/\(nav.frames.count)</span>\n"
        button(.next, "▶")
        button(.nextStep, "▶▶")
        out += "<select id=\"variant\" aria-label=\"variant\" hidden></select>\n"
        if nav.scenes.count > 1 {
            out += "<select id=\"scene\" aria-label=\"scene\">\n"
            if nav.titleCards { out += "<option value=\"0\">title</option>\n" }
            for (si, s) in nav.scenes.enumerated() {
                out += "<option value=\"\(s.entry)\">\(si + 1). "
                ExportText.xmlEscaped(s.title, into: &out)
                out += "</option>\n"
            }
            out += "</select>\n"
        }
        out += "<span id=\"where\">"
        if nav.frames.indices.contains(nav.start) { ExportText.xmlEscaped(nav.frames[nav.start].label, into: &out) }
        out += "</span>\n</nav>\n"
        return out
    }

    /// One line of the page's key map: browser key names, how the table writes them, the move (a
    /// field of the navigation table, or "digit" / "enter") and what it does.
    struct PageBinding {
        var keys: [String]
        var labels: [String]
        var move: String
        var help: String
    }

    /// The viewer's bindings for the moves a page can make (from `KeyMap`, so they cannot drift),
    /// and, in a deck, `}` `{` for scenes as in `present`.
    static func pageBindings(decks: Bool) -> [PageBinding] {
        var out: [PageBinding] = []
        for b in KeyMap.bindings {
            let move: String
            var help = b.help
            switch b.action {
            case .nextAction: move = HTMLNavigation.Move.next.rawValue
            case .previousAction: move = HTMLNavigation.Move.previous.rawValue
            case .nextStep: move = HTMLNavigation.Move.nextStep.rawValue
            case .previousStep: move = HTMLNavigation.Move.previousStep.rawValue
            case .first: move = HTMLNavigation.Move.first.rawValue
            case .last: move = HTMLNavigation.Move.last.rawValue
            case .nextVariant: move = HTMLNavigation.Move.nextVariant.rawValue
            case .previousVariant: move = HTMLNavigation.Move.previousVariant.rawValue
            case .digit:
                move = "digit"
                help = "a number, then Enter: go to step N"
            case .enter:
                move = "enter"
                help = "after a number: go to step N"
            default: continue
            }
            let keys = b.keys.compactMap(browserKey)
            guard !keys.isEmpty else { continue }
            let labels = move == "digit" ? ["0–9"] : b.keys.filter { browserKey($0) != nil }.map(\.label)
            out.append(PageBinding(keys: keys, labels: labels, move: move, help: help))
        }
        if decks {
            out.append(PageBinding(keys: ["}"], labels: ["}"], move: HTMLNavigation.Move.nextScene.rawValue, help: "next scene"))
            out.append(PageBinding(keys: ["{"], labels: ["{"], move: HTMLNavigation.Move.previousScene.rawValue, help: "previous scene"))
        }
        return out
    }

    /// `KeyboardEvent.key` → move, for the script.
    static func keyMapJSON(decks: Bool) -> String {
        var entries: [String] = []
        for b in pageBindings(decks: decks) {
            for k in b.keys {
                var quoted = ""
                JSONObject.quote(k, into: &quoted, scriptSafe: true)
                entries.append("\(quoted):\"\(b.move)\"")
            }
        }
        return "{" + entries.joined(separator: ",") + "}"
    }

    /// The on-page key table, from the same bindings, with the touch gestures.
    static func keyTable(decks: Bool) -> String {
        var out = "<details id=\"keys\"><summary>keys</summary>\n<table>\n"
        for b in pageBindings(decks: decks) where b.move != "enter" {
            out += "<tr><td>"
            ExportText.xmlEscaped(b.labels.joined(separator: " "), into: &out)
            out += "</td><td>"
            ExportText.xmlEscaped(b.help, into: &out)
            out += "</td></tr>\n"
        }
        out += "<tr><td>swipe left, tap the right half</td><td>next action</td></tr>\n"
        out += "<tr><td>swipe right, tap the left half</td><td>previous action</td></tr>\n"
        out += "</table>\n</details>\n"
        return out
    }

    static func browserKey(_ k: Key) -> String? {
        switch k {
        case .char(let c): String(c)
        case .left: "ArrowLeft"
        case .right: "ArrowRight"
        case .up: "ArrowUp"
        case .down: "ArrowDown"
        case .pageUp: "PageUp"
        case .pageDown: "PageDown"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .backspace: "Backspace"
        case .escape: "Escape"
        default: nil
        }
    }

    // MARK: - Style

    /// The page's style sheet: the theme's colours, local monospace fonts only, one rule per style.
    /// Frames are laid out at 16 px, `columns` characters wide, and scaled to the window by the
    /// script; the line height is set by the script so that block and box characters touch.
    static func css(theme: Theme, classes: [Style: String], columns: Int) -> String {
        // Page text that steps back (captions, sources, the key table): between the theme's
        // foreground and background, readable on both dark and light themes.
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Int(a) * 13 + Int(b) * 7) / 20) }
        let fg = theme.foreground, bg = theme.background
        let dim = RGB(mix(fg.r, bg.r), mix(fg.g, bg.g), mix(fg.b, bg.b))
        let header = ResolvedStyle(.header, theme: theme)
        let title = ResolvedStyle(.title, theme: theme).shownForeground
        let border = ResolvedStyle(.border, theme: theme).shownForeground
        var out = """
            html{scrollbar-gutter:stable}
            html,body{margin:0;background:\(theme.background.hex);color:\(theme.foreground.hex)}
            body{font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
            #bar{display:flex;flex-wrap:wrap;align-items:center;gap:6px;padding:6px 8px}
            #bar button,#bar select,.toc button{font:inherit;color:\(header.fg.hex);background:\(header.bg.hex);border:1px solid \(border.hex);border-radius:4px}
            #bar button{min-width:44px;min-height:36px;padding:0 10px}
            #bar button:disabled{opacity:.35}
            #bar select{min-height:36px;max-width:100%}
            #count{font-variant-numeric:tabular-nums;min-width:4em;text-align:center}
            #where{color:\(dim.hex);flex:1 1 16em}
            #screen{display:flex;justify-content:center;padding:0 8px;touch-action:pan-y pinch-zoom}
            pre.f{flex:none;margin:0;padding:0;font-family:"DejaVu Sans Mono",Menlo,Consolas,"Liberation Mono",monospace;font-size:16px;line-height:var(--lh,1.15);white-space:pre;width:\(columns)ch;zoom:var(--z,1);transform-origin:0 0;transform:scale(var(--s,1))}
            .f[hidden]{display:none}
            section.card{flex:0 1 46em;max-width:46em;margin:0 auto;padding:12px 16px 24px;overflow-wrap:anywhere;font-size:clamp(15px,1.5vw,26px)}
            section.card h1{color:\(title.hex);font-size:2em;line-height:1.2;margin:.3em 0}
            section.card .run{font-weight:bold}
            .toc button{padding:4px 10px;margin:3px 0;text-align:left}
            .dim{color:\(dim.hex)}
            #keys{color:\(dim.hex);padding:8px}
            #keys td{padding:1px 12px 1px 0;vertical-align:top}
            #keys td:first-child{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;white-space:nowrap}

            """
        for (style, name) in classes.sorted(by: { $0.value < $1.value }) {
            let r = ResolvedStyle(style, theme: theme)
            out += ".\(name){color:\(r.shownForeground.hex);background:\(r.bg.hex)"
            if r.bold { out += ";font-weight:bold" }
            if r.underline { out += ";text-decoration:underline" }
            out += "}\n"
        }
        return out
    }
}
