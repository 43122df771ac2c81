// Themes in a real terminal: a theme that names a background paints it on every cell.
import Foundation
import Testing

@Suite(.serialized) struct ThemeTmuxTests {
    /// The projector theme is black on white whatever the terminal's own colours: no cell is left
    /// on the terminal's default background (SGR 49), and white (xterm 231) is set throughout.
    @Test func theProjectorThemePaintsEveryCellWhite() throws {
        let t = try TmuxViewer.start(["ghcb-upm", "--theme", "projector"], width: 120, height: 35, colors: true)
        defer { t.killServer() }
        #expect(t.wait(forText: "RMP table", seconds: 30))
        let styled = (try? t.tmux(["capture-pane", "-e", "-p", "-t", TmuxViewer.session]).stdout) ?? ""
        let rows = styled.split(separator: "\n", omittingEmptySubsequences: false).prefix(35)
        #expect(!styled.contains("\u{1B}[49m"), "a cell on the terminal's default background")
        // tmux re-sends a colour only where it changes, so not every row names it; without the
        // theme's background no row does.
        let white = rows.filter { $0.contains("48;5;231") }.count
        #expect(white >= 10, "white background set on \(white) of 35 rows")
    }
}
