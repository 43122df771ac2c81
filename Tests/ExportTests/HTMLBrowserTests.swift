// The HTML export in a real browser: headless Chromium, driven with real key presses, clicks and
// touches over the DevTools protocol (HTMLBrowser.swift). Without Chromium these tests fail and
// say how to install it; they are never skipped.
import Export
import Foundation
import Screen
import StepEngine
import Testing
import Viewer

/// The pages the browser opens, made once for the whole suite.
enum BrowserPages {
    /// Writes a page to a file of its own in the temporary folder; the caller removes it.
    static func write(_ html: String, named name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rmpviz-\(UUID().uuidString)-\(name)")
        try Data(html.utf8).write(to: url)
        return url
    }

    /// ghcb-upm at 160×45, every variant, as `rmpviz export ghcb-upm --format html` writes it.
    static let ghcbTraces = builtinTraces("ghcb-upm")
    static let ghcb: String = HTMLExport.document(
        title: "ghcb-upm", scenes: [HTMLScene(title: "ghcb-upm", variants: ghcbTraces.indices.map {
            RunFrames(traces: ghcbTraces, variant: $0, width: 160, height: 45)
        })], theme: darkTheme)
    static let ghcbNavigation = HTMLNavigation(scenes: [HTMLScene(title: "ghcb-upm", variants: ghcbTraces.indices.map {
        RunFrames(traces: ghcbTraces, variant: $0, width: 160, height: 45)
    })], titleCards: false)

    /// A deck of two scenes at 100×30: upm-basics, then ghcb-upm's discard run.
    static let upmTraces = builtinTraces("upm-basics")
    static var discard: Int { ghcbTraces.firstIndex { $0.variant?.name == "discard" } ?? 0 }
    static var deckScenes: [HTMLScene] {
        [HTMLScene(title: "guest_memfd basics", variants: [RunFrames(traces: upmTraces, width: 100, height: 30)]),
         HTMLScene(title: "GHCB (discard)", variants: [RunFrames(traces: ghcbTraces, variant: discard, width: 100, height: 30)])]
    }
    static let deck: String = HTMLExport.document(title: "A two-scene talk", scenes: deckScenes, theme: darkTheme)
}

/// Starts a browser; without one the error says how to install it, and the test fails (a missing
/// browser is never a pass).
func startBrowser() throws -> HeadlessBrowser {
    try HeadlessBrowser()
}

/// The text of the frames the page shows (visible `.f` elements), as rendered.
let visibleFramesScript = """
    JSON.stringify(Array.prototype.filter.call(document.querySelectorAll(".f"), function (e) {
      return getComputedStyle(e).display !== "none" && e.getClientRects().length > 0;
    }).map(function (e) { return e.tagName === "PRE" ? e.textContent : e.innerText; }))
    """

func visibleFrames(_ b: HeadlessBrowser) throws -> [String] {
    let text = try b.string(visibleFramesScript)
    return (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]) ?? []
}

/// The frame box the page reports: left, top, width, height in CSS px.
func fittedBox(_ b: HeadlessBrowser) throws -> (x: Double, y: Double, w: Double, h: Double) {
    let v = try b.bodyData("fit").split(separator: ",").compactMap { Double($0) }
    guard v.count == 4 else { throw BrowserError(description: "no data-fit on the page") }
    return (v[0], v[1], v[2], v[3])
}

@Suite("html export in a browser", .timeLimit(.minutes(2)))
struct HTMLBrowserTests {
    @Test("Chromium is installed (the browser tests need it)")
    func browserIsThere() {
        #expect(ChromiumLocator.find() != nil, Comment(rawValue: ChromiumLocator.missing))
    }

    @Test("the page shows the viewer's frame, without the terminal footer; #frame=N opens frame N")
    func framesByFragment() throws {
        let url = try BrowserPages.write(BrowserPages.ghcb, named: "ghcb.html")
        defer { try? FileManager.default.removeItem(at: url) }
        let b = try startBrowser()
        defer { b.shutdown() }
        try b.setViewport(width: 1280, height: 900)
        let traces = BrowserPages.ghcbTraces
        let nav = BrowserPages.ghcbNavigation
        // The first frame, then a few by their fragment: the last of each variant and one mid-run.
        var checks: [(fragment: String?, variant: Int, action: Int)] = [(nil, 0, 0)]
        for v in traces.indices { checks.append((nil, v, traces[v].actionCount - 1)) }
        checks.append((nil, 1, 3))
        for (i, c) in checks.enumerated() {
            let f = try #require(nav.frame(scene: 0, variant: c.variant, action: c.action))
            try b.open(url, fragment: i == 0 ? nil : "frame=\(f + 1)")
            #expect(try b.frame() == f)
            let shown = try visibleFrames(b)
            let expected = withoutFooter(viewerFrames(traces, variant: c.variant, width: 160, height: 45)[c.action])
            #expect(shown.count == 1)
            #expect(shown.map(trimmingLineEnds) == [trimmingLineEnds(expected)], "frame \(f) (variant \(c.variant), action \(c.action + 1))")
            #expect(!(shown.first ?? "").contains("q quit"))
            // The top line names the run's kernel, as in the terminal.
            let kernel = traces[c.variant].config.kernel.rawValue
            #expect(shown.first?.split(separator: "\n").first?.contains("kernel \(kernel)") == true)
            // The counter and caption say where we are.
            #expect(try b.string("document.getElementById('count').textContent") == "\(f + 1)/\(nav.frames.count)")
            #expect(try b.string("document.getElementById('where').textContent") == nav.frames[f].label)
            #expect(try b.string("location.hash") == "#frame=\(f + 1)")
        }
        // A fragment that names no frame opens the first.
        try b.open(url, fragment: "frame=99999")
        #expect(try b.frame() == 0)
        #expect(b.pageErrors == [])
        #expect(b.requestedURLs.allSatisfy { $0.hasPrefix("file:") }, "the page fetched \(b.requestedURLs)")
    }

    @Test("stepping with the viewer's keys and the page's buttons, in a real browser")
    func keysAndButtons() throws {
        let url = try BrowserPages.write(BrowserPages.ghcb, named: "ghcb-keys.html")
        defer { try? FileManager.default.removeItem(at: url) }
        let traces = BrowserPages.ghcbTraces
        let nav = BrowserPages.ghcbNavigation
        let keep = traces[0]
        let b = try startBrowser()
        defer { b.shutdown() }
        try b.setViewport(width: 1280, height: 900)
        try b.open(url)
        #expect(try b.frame() == 0)
        // Hand-written expectations from the run's steps (frame = action in variant 1).
        let step2 = keep.stepStart[1], step3 = keep.stepStart[2]
        try b.press("ArrowRight"); #expect(try b.frame() == 1)
        try b.press(" "); #expect(try b.frame() == 2)
        try b.press("n"); #expect(try b.frame() == 3)
        try b.press("ArrowLeft"); #expect(try b.frame() == 2)
        try b.press("Backspace"); #expect(try b.frame() == 1)
        try b.press("g"); #expect(try b.frame() == 0)
        try b.press("PageDown"); #expect(try b.frame() == step2, "PgDn: the first action of step 2")
        try b.press("]"); #expect(try b.frame() == step3, "]: the first action of step 3")
        try b.press("ArrowRight")
        try b.press("PageUp"); #expect(try b.frame() == step3, "PgUp mid-step: back to the step's start")
        try b.press("["); #expect(try b.frame() == step2, "[ at a step's start: the step before")
        try b.press("G"); #expect(try b.frame() == keep.actionCount - 1)
        try b.press("ArrowRight"); #expect(try b.frame() == keep.actionCount - 1, "→ at the end stays")
        try b.press("Home"); #expect(try b.frame() == 0)
        // A number then Enter: step N.
        try b.press("4"); try b.press("Enter")
        #expect(try b.frame() == keep.stepStart[3])
        #expect(try b.string("document.getElementById('where').textContent").contains("step 4/"))
        // v: the next variant at the same step and offset; V back.
        try b.press("ArrowRight")
        let here = try b.frame()
        let discardStart = try #require(nav.runs.count > 1 ? nav.runs[1].firstFrame : nil)
        let offset = here - keep.stepStart[3]
        let expected = discardStart + min(traces[1].actions(ofStep: 3).lowerBound + offset, traces[1].actions(ofStep: 3).upperBound - 1)
        try b.press("v"); #expect(try b.frame() == expected)
        #expect(try b.frame() == nav.target(.nextVariant, from: here))
        try b.press("V"); #expect(try b.frame() == here)
        // Keys the page does not use do nothing; Ctrl-combinations are the browser's.
        try b.press("q"); try b.press("Tab"); #expect(try b.frame() == here)

        // Buttons, clicked with the mouse.
        try b.press("g")
        try b.click("#b-n"); #expect(try b.frame() == 1)
        try b.click("#b-n"); #expect(try b.frame() == 2)
        try b.click("#b-p"); #expect(try b.frame() == 1)
        try b.click("#b-ns"); #expect(try b.frame() == step2)
        try b.click("#b-ps"); #expect(try b.frame() == 0)
        #expect(try b.evaluate("document.getElementById('b-p').disabled") as? Bool == true, "◀ is disabled at the first frame")
        #expect(try b.evaluate("document.getElementById('b-n').disabled") as? Bool == false)
        // Space after a click still steps the page (the button gave its focus back).
        try b.click("#b-n"); try b.press(" "); #expect(try b.frame() == 2)
        // The variant switch lists the variants and follows the page.
        let options = try b.string("Array.prototype.map.call(document.querySelectorAll('#variant option'), function (o) { return o.textContent; }).join(',')")
        #expect(options == traces.map { "variant " + ($0.variant?.name ?? "") }.joined(separator: ","))
        let before = try b.frame()
        _ = try b.evaluate("(function(){const s=document.getElementById('variant');s.selectedIndex=2;s.dispatchEvent(new Event('change'));return 1;})()")
        #expect(try b.frame() == nav.frames[before].variants[2])
        #expect(try b.evaluate("document.getElementById('variant').selectedIndex") as? Int == 2)
        #expect(b.pageErrors == [])
    }

    @Test("touch: swipe left and right, tap the right and left half, on a 390-px phone")
    func touch() throws {
        let url = try BrowserPages.write(BrowserPages.ghcb, named: "ghcb-touch.html")
        defer { try? FileManager.default.removeItem(at: url) }
        let b = try startBrowser()
        defer { b.shutdown() }
        try b.setViewport(width: 390, height: 844, mobile: true)
        try b.open(url, fragment: "frame=3")
        #expect(try b.frame() == 2)
        let box = try fittedBox(b)
        let y = box.y + box.h / 2
        try b.touch(from: (box.x + box.w * 0.8, y), to: (box.x + box.w * 0.2, y + 5))
        #expect(try b.frame() == 3, "swipe left: next")
        try b.touch(from: (box.x + box.w * 0.2, y), to: (box.x + box.w * 0.8, y - 5))
        #expect(try b.frame() == 2, "swipe right: previous")
        try b.touch(from: (box.x + box.w * 0.9, y), to: (box.x + box.w * 0.9, y))
        #expect(try b.frame() == 3, "tap right half: next")
        try b.touch(from: (box.x + box.w * 0.1, y), to: (box.x + box.w * 0.1, y))
        #expect(try b.frame() == 2, "tap left half: previous")
        // A vertical swipe scrolls, it does not step.
        try b.touch(from: (box.x + box.w / 2, box.y + box.h * 0.9), to: (box.x + box.w / 2 + 4, box.y + box.h * 0.1))
        #expect(try b.frame() == 2)
        #expect(b.pageErrors == [])
    }

    @Test("a deck: title card, scene cards with about text, → across scenes, } {, the scene switch")
    func deck() throws {
        let url = try BrowserPages.write(BrowserPages.deck, named: "deck.html")
        defer { try? FileManager.default.removeItem(at: url) }
        let nav = HTMLNavigation(scenes: BrowserPages.deckScenes, titleCards: true)
        let upm = BrowserPages.upmTraces[0], ghcb = BrowserPages.ghcbTraces[BrowserPages.discard]
        let b = try startBrowser()
        defer { b.shutdown() }
        try b.setViewport(width: 1280, height: 900)
        try b.open(url)
        #expect(try b.frame() == 0)
        let title = try visibleFrames(b)
        #expect(title.count == 1)
        #expect(title.first?.contains("A two-scene talk") == true)
        #expect(title.first?.contains("guest_memfd basics") == true && title.first?.contains("GHCB (discard)") == true)
        try b.press("ArrowRight")
        #expect(try b.frame() == 1)
        let card = try visibleFrames(b).first ?? ""
        #expect(card.contains("guest_memfd basics"))
        #expect(card.contains(upm.config.kernel.label))
        for paragraph in upm.scene.about { #expect(card.contains(paragraph), "the card lacks: \(paragraph)") }
        if let source = upm.scene.source { #expect(card.contains(source)) }
        try b.press("ArrowRight")
        #expect(try b.frame() == 2)
        #expect(try visibleFrames(b).map(trimmingLineEnds) == [trimmingLineEnds(withoutFooter(viewerFrames(BrowserPages.upmTraces, variant: 0, width: 100, height: 30)[0]))])
        // → at the scene's end: the next scene's card, with its run and about text.
        try b.press("G")
        #expect(try b.frame() == 1 + upm.actionCount)
        try b.press("ArrowRight")
        let second = 2 + upm.actionCount
        #expect(try b.frame() == second)
        let card2 = try visibleFrames(b).first ?? ""
        #expect(card2.contains("variant discard: " + (ghcb.variant?.title ?? "?")))
        #expect(card2.contains(ghcb.config.kernel.label))
        for paragraph in ghcb.scene.about { #expect(card2.contains(paragraph)) }
        try b.press("ArrowLeft"); #expect(try b.frame() == 1 + upm.actionCount)
        try b.press("{"); #expect(try b.frame() == 1 + upm.actionCount, "{ in the first scene stays")
        try b.press("}"); #expect(try b.frame() == second)
        try b.press("ArrowRight"); #expect(try b.frame() == second + 1)
        try b.press("{"); #expect(try b.frame() == 1, "{ from scene 2: scene 1's card")
        try b.press("}"); #expect(try b.frame() == second)
        try b.press("}"); #expect(try b.frame() == second, "} on the last scene stays")
        // The scene switch (a select: its change event as a user's choice sends it).
        #expect(try b.string("document.getElementById('scene').value") == "\(second)")
        _ = try b.evaluate("(function(){const s=document.getElementById('scene');s.value='1';s.dispatchEvent(new Event('change'));return 1;})()")
        #expect(try b.frame() == 1)
        try b.press("ArrowRight")
        #expect(try b.string("document.getElementById('scene').value") == "1", "the switch follows the page")
        // The deck card's list of scenes are buttons.
        try b.open(url)
        try b.click("button[data-to='\(second)']")
        #expect(try b.frame() == second)
        // The whole page moves by the same table.
        #expect(nav.target(.next, from: 1 + upm.actionCount) == second)
        // The cards fit a phone too: their text wraps, nothing scrolls sideways.
        try b.setViewport(width: 390, height: 844, mobile: true)
        for fragment in ["frame=1", "frame=\(second + 1)"] {
            try b.open(url, fragment: fragment)
            #expect(try b.evaluate("document.documentElement.scrollWidth") as? Int ?? 9999 <= 390, "card \(fragment) scrolls sideways")
            _ = try b.screenshot(name: "deck-card-390-" + fragment.replacingOccurrences(of: "=", with: "-"))
        }
        #expect(b.pageErrors == [])
    }
}

// MARK: - Fitting the window, and what the screenshot shows

/// The viewer's grid after `action`, stepping forward from the first action as the export does.
func viewerGrid(_ traces: [Trace], variant: Int, action: Int, width: Int, height: Int) -> Grid? {
    guard var state = ViewerState(traces: traces, variant: variant, width: width, height: height) else { return nil }
    var grid: Grid?
    for a in 0...action {
        state.jump(to: a)
        if a == action { grid = state.render() }
    }
    return grid
}

/// A colour as a screenshot shows it; `dim` blends towards the background as the export draws it.
func shown(_ style: Style, theme: Theme, glyph: Bool) -> (r: Int, g: Int, b: Int) {
    let (fg, bg) = theme.resolved(style)
    guard glyph else { return (Int(bg.r), Int(bg.g), Int(bg.b)) }
    guard style.attributes.contains(.dim) else { return (Int(fg.r), Int(fg.g), Int(fg.b)) }
    func mix(_ a: UInt8, _ b: UInt8) -> Int { (Int(a) * 3 + Int(b) * 2) / 5 }
    return (mix(fg.r, bg.r), mix(fg.g, bg.g), mix(fg.b, bg.b))
}

func distance(_ a: (r: Int, g: Int, b: Int), _ b: (r: Int, g: Int, b: Int)) -> Int {
    max(abs(a.r - b.r), abs(a.g - b.g), abs(a.b - b.b))
}

/// What a screenshot of one frame was checked for.
struct PixelReport {
    var backgroundSamples = 0
    var backgroundMisses: [String] = []
    var rowSeams = 0
    var rowSeamMisses: [String] = []
    var glyphSeams = 0
    var glyphSeamMisses: [String] = []
    var sampledLastColumn = false
    var sampledLastRow = false
}

/// Checks a screenshot against the grid it shows. `rows` are the grid's rows on the page (the
/// footer dropped), `box` where the page put the frame.
func checkPixels(_ image: PNGImage, grid: Grid, rows: Int, box: (x: Double, y: Double, w: Double, h: Double), theme: Theme) -> PixelReport {
    var report = PixelReport()
    let cw = box.w / Double(grid.width), rh = box.h / Double(rows)
    func px(_ cx: Double) -> Int { Int((box.x + cx * cw).rounded(.down)) }
    func py(_ cy: Double) -> Int { Int((box.y + cy * rh).rounded(.down)) }
    func inside(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < image.width && y < image.height }
    func blank(_ x: Int, _ y: Int) -> Bool { grid[x, y].text == " " }
    func bg(_ x: Int, _ y: Int) -> (r: Int, g: Int, b: Int) { shown(grid[x, y].style, theme: theme, glyph: false) }
    /// A blank cell inside a run of blanks of its own background, so no glyph can reach its middle.
    func quiet(_ x: Int, _ y: Int) -> Bool {
        guard blank(x, y) else { return false }
        for n in [x - 1, x + 1] where n >= 0 && n < grid.width {
            guard blank(n, y), distance(bg(n, y), bg(x, y)) == 0 else { return false }
        }
        return true
    }
    let plain = shown(.normal, theme: theme, glyph: false)
    for y in 0..<rows {
        for x in 0..<grid.width where quiet(x, y) {
            let (sx, sy) = (px(Double(x) + 0.5), py(Double(y) + 0.5))
            guard inside(sx, sy) else {
                report.backgroundMisses.append("cell \(x),\(y) is outside the screenshot at \(sx),\(sy)")
                continue
            }
            report.backgroundSamples += 1
            if x >= grid.width - 3 { report.sampledLastColumn = true }
            if y >= rows - 3 { report.sampledLastRow = true }
            let want = bg(x, y), got = image[sx, sy]
            if distance(want, got) > 8 { report.backgroundMisses.append("cell \(x),\(y): \(got) for \(want)") }
            // The boundary with the row below, where both are the same non-default background.
            guard y + 1 < rows, quiet(x, y + 1), distance(bg(x, y + 1), want) == 0, distance(want, plain) > 20 else { continue }
            let by = py(Double(y + 1))
            report.rowSeams += 1
            for yy in [by - 1, by, by + 1] where inside(sx, yy) && distance(image[sx, yy], want) > 8 {
                report.rowSeamMisses.append("rows \(y)/\(y + 1) at column \(x): \(image[sx, yy]) at y \(yy), want \(want)")
            }
        }
    }
    // Block and box characters that continue into the row below: no seam where the rows meet.
    // Only where a cell is wide enough (4 px) for its stroke to be seen.
    guard cw >= 4 else { return report }
    let continuing: Set<String> = ["│", "█", "║", "┃"]
    for y in 0..<(rows - 1) {
        for x in 0..<grid.width where continuing.contains(grid[x, y].text) && grid[x, y + 1].text == grid[x, y].text {
            let ink = shown(grid[x, y].style, theme: theme, glyph: true)
            let back = bg(x, y)
            // The glyph's most inked column at the middle of the upper cell.
            let my = py(Double(y) + 0.5)
            var best = px(Double(x)), bestInk = -1
            for sx in px(Double(x))...px(Double(x + 1)) where inside(sx, my) {
                let d = distance(image[sx, my], back)
                if d > bestInk { bestInk = d; best = sx }
            }
            guard bestInk > 0 else { continue }
            report.glyphSeams += 1
            let by = py(Double(y + 1))
            for yy in (by - 1)...(by + 1) where inside(best, yy) {
                // As inked as the middle of the glyph (within a little anti-aliasing).
                if distance(image[best, yy], back) < bestInk * 6 / 10 {
                    report.glyphSeamMisses.append("\(grid[x, y].text) at \(x),\(y)/\(y + 1): \(image[best, yy]) at \(best),\(yy); middle \(image[best, my]), ink \(ink)")
                }
            }
        }
    }
    return report
}

extension HTMLBrowserTests {
    /// The page in a window of this size, at a frame: whole, without scrolling, colours as the grid's.
    func checkFit(page: String, named name: String, traces: [Trace], variant: Int, action: Int, size: (Int, Int),
                  viewport: (Int, Int), mobile: Bool, expectGlyphSeams: Bool) throws {
        let url = try BrowserPages.write(page, named: name)
        defer { try? FileManager.default.removeItem(at: url) }
        let nav = HTMLNavigation(scenes: [HTMLScene(title: "x", variants: traces.indices.map {
            RunFrames(traces: traces, variant: $0, width: size.0, height: size.1)
        })], titleCards: false)
        let f = try #require(nav.frame(scene: 0, variant: variant, action: action))
        let b = try startBrowser()
        defer { b.shutdown() }
        try b.setViewport(width: viewport.0, height: viewport.1, mobile: mobile)
        try b.open(url, fragment: "frame=\(f + 1)")
        #expect(try b.frame() == f)
        let box = try fittedBox(b)
        let (vw, vh) = (Double(viewport.0), Double(viewport.1))
        #expect(try b.bodyData("viewport") == "\(viewport.0)x\(viewport.1)")
        // The whole frame is in the window: no part left or right of it, none below it.
        #expect(box.x >= 0 && box.y >= 0, "frame at \(box)")
        #expect(box.x + box.w <= vw + 0.5, "frame \(box) wider than the \(viewport.0)-px window")
        #expect(box.y + box.h <= vh + 0.5, "frame \(box) taller than the \(viewport.1)-px window")
        #expect(Int(try b.bodyData("scrollWidth")) ?? 99999 <= viewport.0, "the page scrolls sideways")
        #expect(try b.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth") as? Bool == true)
        // …and uses the window: it fills its width, or the height under the controls.
        let barBottom = try b.evaluate("document.getElementById('bar').getBoundingClientRect().bottom") as? Double ?? 0
        #expect(box.w >= 0.95 * (vw - 16) || box.h >= 0.95 * (vh - barBottom - 12), "frame \(box) does not fill the \(viewport) window")
        // Cells keep the grid's proportions: every row as tall as the others, every column as wide.
        let grid = try #require(viewerGrid(traces, variant: variant, action: action, width: size.0, height: size.1))
        let rows = size.1 - 1
        let lineHeight = try #require(Double(try b.bodyData("lineHeight")))
        let scale = try #require(Double(try b.bodyData("scale")))
        #expect(abs(box.h - Double(rows) * lineHeight * scale) < 1, "rows are not \(lineHeight) px high")
        // Rows close enough to touch, not so close that lines of text run into each other: the
        // 16-px font's line is about 1.1 to 1.2 em.
        #expect(lineHeight >= 16.8 && lineHeight <= 20, "line height \(lineHeight) px for a 16-px font")

        let image = try b.screenshot(name: name.replacingOccurrences(of: ".html", with: ""))
        #expect(image.width == viewport.0 && image.height == viewport.1)
        let report = checkPixels(image, grid: grid, rows: rows, box: box, theme: darkTheme)
        #expect(report.backgroundSamples > grid.width * rows / 4, "too few blank cells sampled: \(report.backgroundSamples)")
        #expect(report.sampledLastColumn && report.sampledLastRow, "the frame's last columns or rows were not seen")
        #expect(report.backgroundMisses.isEmpty, "\(report.backgroundMisses.count) of \(report.backgroundSamples) cells not their colour, e.g. \(report.backgroundMisses.prefix(5))")
        #expect(report.rowSeamMisses.isEmpty, "\(report.rowSeamMisses.count) seams between coloured rows, e.g. \(report.rowSeamMisses.prefix(5))")
        if expectGlyphSeams {
            #expect(report.glyphSeams > 10, "too few box and block characters checked: \(report.glyphSeams)")
            #expect(report.glyphSeamMisses.isEmpty, "\(report.glyphSeamMisses.count) gaps between box or block characters, e.g. \(report.glyphSeamMisses.prefix(5))")
        }
        // The check has teeth: with a looser line height (the old export's) it finds the seams.
        if expectGlyphSeams {
            _ = try b.evaluate("""
                (function () { const s = document.createElement("style");
                  s.textContent = "pre.f{line-height:1.35 !important}"; document.head.appendChild(s);
                  window.dispatchEvent(new Event("resize")); return 1; })()
                """)
            let loose = try fittedBox(b)
            let striped = checkPixels(try b.screenshot(name: name.replacingOccurrences(of: ".html", with: "-loose")), grid: grid, rows: rows,
                                      box: loose, theme: darkTheme)
            #expect(!striped.rowSeamMisses.isEmpty || !striped.glyphSeamMisses.isEmpty, "seams at 1.35 em went unnoticed")
            #expect(striped.backgroundMisses.isEmpty, "the check lost track of the cells: \(striped.backgroundMisses.prefix(3))")
        }
        #expect(b.pageErrors == [])
    }

    @Test("the whole 160×45 frame fits a 1,280-px and a 390-px window; colours and solid rows as in the grid",
          arguments: [(1280, 900, false), (390, 844, true)])
    func fitsTheWindow(width: Int, height: Int, mobile: Bool) throws {
        // ghcb-upm's discard run ends in the host panic: the oops banner is a block of colour over the tables.
        let traces = BrowserPages.ghcbTraces
        let discard = BrowserPages.discard
        try checkFit(page: BrowserPages.ghcb, named: "fit-\(width).html", traces: traces, variant: discard,
                     action: traces[discard].actionCount - 1, size: (160, 45), viewport: (width, height), mobile: mobile,
                     expectGlyphSeams: width >= 1280)
    }

    @Test("block characters (scroll bars) and box lines touch: no gaps between rows at 100×30",
          arguments: [(1280, 900, false), (390, 844, true)])
    func solidBlocks(width: Int, height: Int, mobile: Bool) throws {
        let traces = BrowserPages.upmTraces
        let page = HTMLExport.document(title: "upm", scenes: [HTMLScene(title: "upm", variants: [RunFrames(traces: traces, width: 100, height: 30)])],
                                       theme: darkTheme)
        let grid = try #require(viewerGrid(traces, variant: 0, action: 0, width: 100, height: 30))
        #expect(grid.text.contains("█"), "upm-basics at 100×30 no longer has a scroll bar to check")
        try checkFit(page: page, named: "blocks-\(width).html", traces: traces, variant: 0, action: 0, size: (100, 30),
                     viewport: (width, height), mobile: mobile, expectGlyphSeams: width >= 1280)
    }
}
