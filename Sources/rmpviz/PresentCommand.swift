import ArgumentParser
import BuiltinAssets
import Glibc
import SceneLanguage
import Screen
import StepEngine
import Viewer

/// `rmpviz present`: the viewer for a projector and a presenter remote.
struct Present: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "present",
        abstract: "Present scenes or a deck on a projector: title cards, remote keys, a clock.",
        discussion: """
            Keys: PgDn Space → next action · PgUp ← previous · } { next/previous scene · b or . blank the screen (again to come back) · t reset the clock · the viewer's other keys still work.
            Exit status: 0 quit, 64 bad usage, 65 a scene, deck or theme error, 66 a file that cannot be read, 69 no usable terminal, 73 --notes cannot be written, 143 or 129 ended by SIGTERM or SIGHUP.

            Example: rmpviz present talk --theme projector --notes /tmp/notes.txt
            """)

    @Argument(help: "Decks, scene files or built-in names, in order.")
    var items: [String] = ["talk"]

    @Option(help: "Keep this file updated with the current step's notes, the next step and the time.")
    var notes: String?

    @Option(help: "Colour theme: dark (default), light, projector, or a theme file.")
    var theme: String?

    @Flag(help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "Reload when a scene or deck file changes.")
    var watch = false

    @OptionGroup var settings: SettingOptions

    func run() throws {
        try exiting { () throws(CLIFailure) in
            let theme = try ThemeLoader.load(self.theme)
            let overrides = try settings.overrides()
            let entries = try Present.entries(items, overrides: overrides)
            let font = FigletFont(BuiltinAssets.titleFont)
            let noColor = self.noColor || environment("NO_COLOR").map { !$0.isEmpty } == true
            if let notes { try Present.checkWritable(notes) }
            var watcher = FileWatcher(paths: watch ? items.flatMap(SceneLoader.watchedPaths) : [])
            var lastNotes = ""
            let status = try TerminalLoop.run(
                color: !noColor, theme: theme,
                make: { w, h in
                    var p = PresenterState(entries: entries, font: font, width: w, height: h, now: monotonicNow(),
                                           talkTitle: Present.deckTitle(items))
                    p?.notice = "theme \(self.theme ?? ThemeLoader.defaultName)" + (noColor ? ", no colours" : "")
                    return p
                },
                tick: { state, now in
                    var redraw = false
                    if watch, watcher.changed() {
                        do throws(CLIFailure) {
                            state.reload(entries: try Present.entries(items, overrides: overrides))
                        } catch {
                            state.showDiagnostics(error.message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
                        }
                        redraw = true
                    }
                    if let notes {
                        let text = state.notes(now: now)
                        if text != lastNotes {
                            lastNotes = text
                            try? OutputFile.write(text, to: notes)
                            redraw = true
                        }
                    }
                    return redraw
                })
            // The speaker's screen says so rather than showing the last step forever.
            if let notes { try? OutputFile.write("presenter stopped\n", to: notes) }
            if status != 0 { throw CLIFailure(status: status, message: "") }
        }
    }

    /// The deck's title, when one deck is presented.
    static func deckTitle(_ items: [String]) -> String? {
        guard items.count == 1, let (path, bytes) = try? SceneLoader.read(items[0]), SceneLoader.isDeck(path: path, bytes: bytes),
              case .success(let deck) = parseDeck(bytes: bytes, path: path) else { return nil }
        return deck.title
    }

    /// Every scene of every item, with the variant a deck names (else the first).
    static func entries(_ items: [String], overrides: [Setting]) throws(CLIFailure) -> [PresentEntry] {
        var out: [PresentEntry] = []
        for item in items {
            for loaded in try SceneLoader.load(item, overrides: overrides) {
                let traces = Engine.runAll(loaded.scene)
                let variant = loaded.variant.flatMap { v in traces.firstIndex { $0.variant?.name == v } } ?? 0
                // An `explore` entry: the matrix, computed before the talk starts.
                let exploration = loaded.explore.map { keys in
                    Exploration.run(loaded.scene, variant: loaded.scene.variants.isEmpty ? nil : variant, over: keys)
                }
                out.append(PresentEntry(traces: traces, variant: variant, exploration: exploration, compare: loaded.compare))
            }
        }
        return out
    }

    static func checkWritable(_ path: String) throws(CLIFailure) {
        let dir = Path.folder(path)
        guard Path.isWritableFolder(dir) else {
            throw CLIFailure(status: 73, message: "rmpviz: --notes \(path): the folder cannot be written")
        }
    }
}

/// `rmpviz notes PATH`: the speaker's screen, following the file `present --notes` keeps up to date.
struct Notes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notes",
        abstract: "Show a presenter notes file live, in large text, in a second terminal.",
        discussion: """
            Exit status: 0 quit, 65 a theme error, 66 a theme file that cannot be read, 69 no usable terminal, 143 or 129 ended by SIGTERM or SIGHUP.

            Example: rmpviz notes /tmp/notes.txt   (while 'rmpviz present talk --notes /tmp/notes.txt' runs)
            """)

    @Argument(help: "The file written by 'rmpviz present --notes'.")
    var path: String

    @Option(help: "Colour theme.")
    var theme: String?

    func run() throws {
        try exiting { () throws(CLIFailure) in
            let theme = try ThemeLoader.load(self.theme)
            let font = FigletFont(BuiltinAssets.titleFont)
            var watcher = FileWatcher(paths: [path])
            let path = self.path
            let status = try TerminalLoop.run(
                color: true, theme: theme,
                make: { w, h in NotesScreen(text: Notes.read(path), font: font, width: w, height: h) },
                tick: { state, _ in
                    guard watcher.changed() else { return false }
                    state.text = Notes.read(path)
                    return true
                })
            if status != 0 { throw CLIFailure(status: status, message: "") }
        }
    }

    static func read(_ path: String) -> String {
        guard let data = readFile(path, limit: 64 * 1024) else {
            return "waiting for \(path)…\n\nstart: rmpviz present DECK --notes \(path)"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
