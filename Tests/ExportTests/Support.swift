// Helpers for the export tests: scenes, the dark theme from assets/, and small parsers for checking
// what the exporters write.
import BuiltinScenes
import Export
import Foundation
import SceneLanguage
import Screen
import StepEngine
import Testing
import Viewer

/// Every variant's run of a built-in scene.
func builtinTraces(_ name: String) -> [Trace] {
    guard let file = BuiltinScenes.named(name), case .success(let scene) = parseScene(bytes: file.bytes, path: file.fileName) else {
        Issue.record("built-in scene \(name) did not parse")
        return []
    }
    return Engine.runAll(scene)
}

/// Every variant's run of a scene written in the test.
func sceneTraces(_ text: String) -> [Trace] {
    switch parseScene(text, path: "test.scene") {
    case .success(let scene): return Engine.runAll(scene)
    case .failure(let d):
        Issue.record("test scene did not parse: \(d.rendered(source: text))")
        return []
    }
}

/// The shipped dark theme, read from assets/ so the goldens show real colours.
let darkTheme: Theme = {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../assets/themes/dark.theme").standardized.path
    let text = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    if case .success(let theme) = Theme.parse(text), !text.isEmpty { return theme }
    return Theme(name: "fallback", foreground: RGB(208, 208, 208), background: RGB(28, 28, 28))
}()

/// The viewer's frame after each action, stepping forward from a fresh state like → in the viewer.
func viewerFrames(_ traces: [Trace], variant: Int, width: Int, height: Int) -> [String] {
    guard var state = ViewerState(traces: traces, variant: variant, width: width, height: height) else { return [] }
    return (0..<state.trace.actionCount).map { a in
        state.jump(to: a)
        return state.render().text
    }
}

/// A multi-frame txt or ansi document cut into its frames.
func splitFrames(_ document: String) -> [String] {
    var body = document
    if body.hasSuffix("\n") { body.removeLast() }
    return body.components(separatedBy: "\n\u{0C}\n")
}

/// `text` without its SGR sequences (ESC [ digits and semicolons m).
func strippingSGR(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    var scalars = text.unicodeScalars.makeIterator()
    while let u = scalars.next() {
        guard u == "\u{1B}" else {
            out.append(u)
            continue
        }
        guard scalars.next() == "[" else { continue }
        while let c = scalars.next(), c != "m" {}
    }
    return String(out)
}

/// Lines with trailing blanks trimmed, as the txt export writes rows.
func trimmingLineEnds(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { line -> Substring in
            var l = line
            while l.last == " " { l.removeLast() }
            return l
        }
        .joined(separator: "\n")
}

/// Byte offsets of characters that are neither printable nor allowed: every control except
/// `allowed`, and ESC unless it starts an SGR sequence `ESC [ 0-9; m`.
func forbiddenControls(_ text: String, allowed: Set<UInt8> = [0x0A]) -> [Int] {
    let bytes = Array(text.utf8)
    var bad: [Int] = []
    var i = 0
    while i < bytes.count {
        let b = bytes[i]
        if b == 0x1B {
            var j = i + 1
            guard j < bytes.count, bytes[j] == UInt8(ascii: "[") else { bad.append(i); i += 1; continue }
            j += 1
            while j < bytes.count, bytes[j] == UInt8(ascii: ";") || (0x30...0x39).contains(bytes[j]) { j += 1 }
            if j < bytes.count, bytes[j] == UInt8(ascii: "m") { i = j + 1; continue }
            bad.append(i)
        } else if (b < 0x20 && !allowed.contains(b)) || b == 0x7F || (b == 0xC2 && i + 1 < bytes.count && (0x80...0x9F).contains(bytes[i + 1])) {
            bad.append(i)
        }
        i += 1
    }
    return bad
}

/// A scene whose narration tries to inject markup, escapes and controls.
let hostileScene = """
    title "Hostile <b>title</b> & 'quotes'"
    config upm on
    pfns 0x100..0x10f
    page page gfn=0x10 shared
    step "Step with <script>alert(1)</script> & \\"quotes\\""
      guest psc page private
      say "<script>alert('x')</script> & </pre> ]]> <!-- -->"
    """
