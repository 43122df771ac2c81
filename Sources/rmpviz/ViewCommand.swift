import ArgumentParser
import CursesTerminal
import Foundation
import Screen
import StepEngine
import Viewer

/// The viewer (the default command): opens a scene in the terminal.
struct View: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a scene in the terminal viewer (the default command).",
        discussion: """
            Keys: → Space next action, ← previous, ] [ step, v variant, Tab table, Enter page history,
            / find, ? help, q quit.

            Example: rmpviz ghcb-upm --variant discard
            """)

    @Argument(help: "A scene file or built-in scene name.")
    var scene: String = "ghcb-upm"

    @Option(help: "The variant to show first (default: the first).")
    var variant: String?

    @Option(name: .customLong("set"), help: "Override a setting, e.g. --set discard-on-convert=on.")
    var settings: [String] = []

    @Flag(help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    @Option(help: "Colour theme: dark (default), light, projector, or a theme file.")
    var theme: String?

    func run() throws {
        try exiting { () throws(CLIFailure) in
            let theme = try ThemeLoader.load(self.theme)
            let (traces, first) = try loadAllTraces(scene, variant: variant, settings: settings)
            let noColor = self.noColor || ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } == true
            let status = try ViewerShell.run(traces: traces, variant: first, color: !noColor, theme: theme)
            if status != 0 { throw CLIFailure(status: status, message: "") }
        }
    }
}

/// Every variant's run of one scene (the viewer switches between them), and the one to show first.
func loadAllTraces(_ reference: String, variant: String?, settings: [String]) throws(CLIFailure) -> ([Trace], Int) {
    let first = try loadTrace(reference, variant: variant, settings: settings)
    let overrides = try SceneLoader.overrides(settings)
    let scene = first.scene
    guard !scene.variants.isEmpty else { return ([first], 0) }
    let index = first.variantIndex ?? 0
    let traces = scene.variants.indices.map { $0 == index ? first : Engine.run(scene, variant: $0, overrides: overrides) }
    return (traces, index)
}

/// Joins the pure viewer and the terminal: read an event, reduce, render, let ncurses send the diff.
enum ViewerShell {
    /// Returns the exit status: 0 on q, 128+N for SIGTERM or SIGHUP.
    static func run(traces: [Trace], variant: Int, color: Bool, theme: Theme) throws(CLIFailure) -> Int32 {
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal.open(colorMode: color ? .auto : .none)
        } catch {
            throw CLIFailure(status: 1, message: "rmpviz: \(error); the viewer needs a terminal. Use 'rmpviz run SCENE' to print a run instead.")
        }
        defer { terminal.close() }
        terminal.setPalette(ThemeLoader.palette(theme))
        let size = terminal.size
        guard var state = ViewerState(traces: traces, variant: variant, width: size.width, height: size.height) else { return 0 }
        state.ascii = !terminal.isUTF8
        terminal.draw(state.render())
        while !state.quit {
            guard let event = terminal.readEvent(timeoutMs: 100) else { continue }
            guard let key = key(for: event) else {
                switch event {
                case .signal(let s): return s == SIGINT ? 0 : 128 + s
                case .endOfInput: return 0
                default: continue
                }
            }
            state.handle(key)
            if state.wantsRedraw { terminal.invalidate() }
            if case .resize = key { terminal.invalidate() }
            terminal.draw(state.render())
        }
        return 0
    }

    static func key(for event: TerminalEvent) -> Key? {
        switch event {
        case .char(let c): .char(c)
        case .ctrl(let c): .ctrl(c)
        case .ctrlC: .ctrl("c")
        case .up: .up
        case .down: .down
        case .left: .left
        case .right: .right
        case .pageUp: .pageUp
        case .pageDown: .pageDown
        case .home: .home
        case .end: .end
        case .enter: .enter
        case .backspace, .delete: .backspace
        case .tab: .tab
        case .backTab: .backTab
        case .escape: .escape
        case .resize(let w, let h): .resize(width: w, height: h)
        case .mouse(let x, let y, .click): .click(x: x, y: y)
        case .mouse(let x, let y, .wheelUp): .wheelUp(x: x, y: y)
        case .mouse(let x, let y, .wheelDown): .wheelDown(x: x, y: y)
        case .function, .unknown, .endOfInput, .signal: nil
        }
    }
}
