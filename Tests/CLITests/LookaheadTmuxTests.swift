// The viewer prepares the frames of → and ← while it waits for a key (Lookahead in the terminal
// loop). Those frames must be exactly what rendering the key when pressed gives: the same keys
// are sent to a viewer with lookahead and to one without (RMPVIZ_NO_LOOKAHEAD=1), and after every
// key both panes must show the same characters in the same colours.
import Foundation
import Testing

@Suite(.serialized) struct LookaheadTmuxTests {
    struct Failed: Error {}

    private func open(_ environment: [String]) throws -> TmuxViewer {
        let t = try TmuxViewer.start(["--theme", "dark"], colors: true, environment: environment)
        guard t.wait(for: "the first frame", seconds: 30, { $0.contains("RMP table") && $0.contains("private fd") }) else {
            t.killServer()
            throw Failed()
        }
        return t
    }

    @Test func preparedFramesAreTheFramesOfTheKeys() throws {
        let fast = try open([])
        defer { fast.killServer() }
        let plain = try open(["RMPVIZ_NO_LOOKAHEAD=1"])
        defer { plain.killServer() }
        #expect(fast.captureStyled() == plain.captureStyled(), "the first frames differ")
        // Arrows between other keys, so that prepared frames are taken, dropped and made again
        // over screens that other keys changed (selection, focus, variant, step); every key
        // here changes the screen, so each comparison is of the key's own frame.
        let keys = ["Right", "Right", "Down", "Right", "Left", "Tab", "Right", "]", "PageDown", "[", "Down", "Up",
                    "Right", "Right", "PageUp", "Right", "Left", "v", "Right", "Right", "c", "Right", "Left", "G",
                    "Left", "g", "Right"]
        for (n, key) in keys.enumerated() {
            let before = (fast.captureStyled(), plain.captureStyled())
            try fast.press(key)
            try plain.press(key)
            let changed = fast.wait(for: "key \(n + 1) (\(key)) to change both screens") { _ in
                fast.captureStyled() != before.0 && plain.captureStyled() != before.1
            }
            guard changed else { return }
            let same = fast.wait(for: "both screens to agree after key \(n + 1) (\(key))", seconds: 10) { _ in
                fast.captureStyled() == plain.captureStyled()
            }
            guard same else {
                Issue.record("with lookahead:\n\(fast.capture())\nwithout:\n\(plain.capture())")
                return
            }
        }
        // The run really went somewhere: the comparison is open and the last key stepped.
        #expect(fast.capture().contains("⇄"))
    }
}
