import BuiltinAssets
import BuiltinScenes
import CursesTerminal
import Glibc
import MemoryModel
import SceneLanguage
import StepEngine
import Screen

/// An error that ends the program with a sysexits(3) status and a message for standard error.
struct CLIFailure: Error {
    /// 1: an expectation failed; 64: bad usage; 65: a scene or theme error; 66: a file that cannot
    /// be read; 69: no usable terminal; 73: an output that cannot be created.
    let status: Int32
    /// The message, plain: what standard error shows when it is not a terminal, and what the viewer
    /// shows after a `--watch` reload.
    let message: String
    /// Compiler-style diagnostics behind the message, rendered again in colour for a terminal.
    var report: DiagnosticReport?

    init(status: Int32, message: String) {
        self.status = status
        self.message = message
    }

    /// A scene, deck or theme error (status 65) made of diagnostics.
    init(report: DiagnosticReport) {
        status = 65
        message = report.rendered(color: false)
        self.report = report
    }
}

/// Diagnostics from one or more files (a deck and its scenes), each with the text it points into;
/// rendered like a compiler's, closed by a count line (`3 errors`).
struct DiagnosticReport: Sendable {
    struct Entry: Sendable {
        let diagnostic: Diagnostic
        let source: String
    }

    var entries: [Entry] = []
    /// A file's parse stopped at the limit of errors: it may hold more.
    var stopped = false

    init() {}

    init(_ diagnostics: Diagnostics, source: String) {
        add(diagnostics, source: source)
    }

    mutating func add(_ diagnostics: Diagnostics, source: String) {
        entries += diagnostics.map { Entry(diagnostic: $0, source: source) }
        stopped = stopped || diagnostics.stoppedAtLimit
    }

    mutating func add(_ diagnostic: Diagnostic, source: String) {
        entries.append(Entry(diagnostic: diagnostic, source: source))
    }

    mutating func add(_ other: DiagnosticReport) {
        entries += other.entries
        stopped = stopped || other.stopped
    }

    /// Every diagnostic, then the count line. Every quoted part is made safe by `Diagnostic`; the
    /// only escape sequences are the colours asked for.
    func rendered(color: Bool) -> String {
        (entries.map { $0.diagnostic.rendered(source: $0.source, color: color) }
            + [Diagnostics.countLine(entries.count, stopped: stopped)]).joined(separator: "\n")
    }
}

/// Whether diagnostics on standard error get colours: it is a terminal, NO_COLOR is unset (or
/// empty) and the terminal is not `dumb`.
var diagnosticsInColor: Bool {
    isatty(2) != 0 && (environment("NO_COLOR") ?? "").isEmpty && environment("TERM") != "dumb"
}

/// A failure's message on standard error: diagnostics in colour when it is a terminal.
func printFailure(_ failure: CLIFailure) {
    if let report = failure.report {
        writeAll(Array((report.rendered(color: diagnosticsInColor) + "\n").utf8), to: 2)
    } else if !failure.message.isEmpty {
        printError(failure.message)
    }
}

/// A scene loaded from a file or from the built-ins, with the text its diagnostics point into.
struct LoadedScene {
    let scene: Scene
    let text: String
    /// The variant a deck entry asks for.
    var variant: String?
    /// An `explore` deck entry: the settings its matrix is explored over.
    var explore: [SettingKey]?
    /// A `compare=` deck entry: the right side of the comparison it opens with.
    var compare: CompareSide?
}

/// Writes to standard error, line by line made safe: a message may quote a file name, an argument
/// or a theme file, and none of them may send an escape sequence to the terminal.
func printError(_ text: String) {
    let safe = text.split(separator: "\n", omittingEmptySubsequences: false).map { Diagnostic.printable(String($0)) }
    writeAll(Array((safe.joined(separator: "\n") + "\n").utf8), to: 2)
}

/// Finds and parses scenes and decks: paths first, then built-in names.
enum SceneLoader {
    static let maxBytes = 1 << 20

    /// Reads a file, or a built-in when no such file exists. Returns the display path and bytes.
    static func read(_ reference: String, relativeTo base: String? = nil) throws(CLIFailure) -> (path: String, bytes: [UInt8]) {
        let path = base.map { reference.hasPrefix("/") ? reference : Path.join($0, reference) } ?? reference
        let shown = Diagnostic.printable(path)
        if Path.exists(path) {
            if Path.isFolder(path) { throw CLIFailure(status: 66, message: "rmpviz: \(shown): is a directory, not a scene or deck file") }
            // One byte past the limit, so an oversized file is refused without reading all of it.
            guard let bytes = readFile(path, limit: maxBytes + 1) else {
                throw CLIFailure(status: 66, message: "rmpviz: \(shown): cannot be read (\(String(cString: strerror(errno))))")
            }
            return (path, bytes)
        }
        let bare = Path.lastComponent(reference)
        if let builtin = BuiltinScenes.named(reference) ?? BuiltinScenes.named(bare) {
            return ("scenes/\(builtin.fileName)", builtin.bytes)
        }
        let near = nearBuiltin(reference)
        throw CLIFailure(status: 66, message: "rmpviz: \(shown): no such file, and no built-in scene of that name"
                         + (near.isEmpty ? " (see 'rmpviz list')" : near))
    }

    /// "; did you mean 'ghcb-upm'?" for a bare name (or file name) close to a built-in's, else "".
    static func nearBuiltin(_ reference: String) -> String {
        guard !reference.contains("/") else { return "" }
        var name = reference
        for ext in [".scene", ".deck"] where name.hasSuffix(ext) { name.removeLast(ext.count) }
        return Suggest.didYouMean(name, in: BuiltinScenes.all.map(\.name))
    }

    static func isDeck(path: String, bytes: [UInt8]) -> Bool {
        path.hasSuffix(".deck")
    }

    /// Loads a scene, or every scene of a deck. Diagnostics are printed; a scene error throws 65.
    static func load(_ reference: String, overrides: [Setting]) throws(CLIFailure) -> [LoadedScene] {
        let (path, bytes) = try read(reference)
        if isDeck(path: path, bytes: bytes) { return try loadDeck(path: path, bytes: bytes, overrides: overrides) }
        return [try parse(path: path, bytes: bytes, overrides: overrides)]
    }

    /// Parses a scene and puts the command line's settings on it; a run they make impossible is a
    /// scene error at the operation's line, like one the scene's own settings make.
    static func parse(path: String, bytes: [UInt8], overrides: [Setting]) throws(CLIFailure) -> LoadedScene {
        let text = String(decoding: bytes, as: UTF8.self)
        switch parseScene(bytes: bytes, path: path).flatMap({ $0.applying(overrides) }) {
        case .success(let scene): return LoadedScene(scene: scene, text: text)
        case .failure(let diagnostics):
            throw CLIFailure(report: DiagnosticReport(diagnostics, source: text))
        }
    }

    static func loadDeck(path: String, bytes: [UInt8], overrides: [Setting]) throws(CLIFailure) -> [LoadedScene] {
        let text = String(decoding: bytes, as: UTF8.self)
        let deck: Deck
        switch parseDeck(bytes: bytes, path: path) {
        case .success(let d): deck = d
        case .failure(let diagnostics): throw CLIFailure(report: DiagnosticReport(diagnostics, source: text))
        }
        let dir = Path.folder(path)
        let fromBuiltins = path.hasPrefix("scenes/") && BuiltinScenes.named(Path.lastComponent(path)) != nil
            && !Path.exists(path)
        var scenes: [LoadedScene] = []
        var problems = DiagnosticReport()
        for entry in deck.entries {
            do throws(CLIFailure) {
                let found = try read(entry.reference, relativeTo: fromBuiltins ? nil : dir)
                if isDeck(path: found.path, bytes: found.bytes) {
                    let d = Diagnostic(path: path, location: entry.location,
                                       message: "'\(entry.reference)' is a deck; a deck lists scenes, not decks")
                    problems.add(d, source: text)
                    continue
                }
                var loaded = try parse(path: found.path, bytes: found.bytes, overrides: overrides)
                if let v = entry.variant, !loaded.scene.variants.contains(where: { $0.name == v }) {
                    let names = loaded.scene.variants.map(\.name).joined(separator: ", ")
                    let d = Diagnostic(path: path, location: entry.location,
                                       message: "scene '\(entry.reference)' has no variant '\(v)'",
                                       hint: names.isEmpty ? "it has no variants" : "its variants: \(names)")
                    problems.add(d, source: text)
                    continue
                }
                loaded.variant = entry.variant
                loaded.explore = entry.explore
                if let sideText = entry.compare {
                    // The side is read and checked now, so a deck that cannot be presented says so before the talk.
                    let scene = loaded.scene
                    let variant = entry.variant.flatMap { v in scene.variants.firstIndex { $0.name == v } } ?? (scene.variants.isEmpty ? nil : 0)
                    let problem: CompareSide.Problem?
                    switch CompareSide.parse(sideText, scene: scene) {
                    case .success(let side):
                        loaded.compare = side
                        if case .failure(let p) = side.resolve(in: scene, variant: variant) { problem = p } else { problem = nil }
                    case .failure(let p): problem = p
                    }
                    if let problem {
                        problems.add(Diagnostic(path: path, location: entry.compareLocation ?? entry.location,
                                                message: "compare=" + problem.message), source: text)
                        continue
                    }
                }
                scenes.append(loaded)
            } catch let failure where failure.status == 66 {
                let d = Diagnostic(path: path, location: entry.location,
                                   message: "scene '\(entry.reference)' not found: no such file next to the deck, and no built-in scene of that name"
                                       + nearBuiltin(entry.reference))
                problems.add(d, source: text)
            } catch {
                // A scene of the deck with errors of its own: they join the deck's, under one count.
                guard let report = error.report else { throw error }
                problems.add(report)
            }
        }
        if !problems.entries.isEmpty { throw CLIFailure(report: problems) }
        return scenes
    }

    /// The files a `--watch` follows: the scene or deck file and, for a deck, its scene files.
    static func watchedPaths(_ reference: String) -> [String] {
        guard Path.exists(reference) else { return [] }
        guard reference.hasSuffix(".deck"), let data = readFile(reference, limit: maxBytes),
              case .success(let deck) = parseDeck(bytes: data, path: reference) else { return [reference] }
        let dir = Path.folder(reference)
        return [reference] + deck.entries.map { ($0.reference.hasPrefix("/") ? $0.reference : Path.join(dir, $0.reference)) }
            .filter { Path.exists($0) }
    }

}

/// `--theme NAME|PATH`: a built-in theme by name, or a theme file.
enum ThemeLoader {
    static let defaultName = "dark"

    static func load(_ reference: String?) throws(CLIFailure) -> Theme {
        let name = reference ?? defaultName
        let text: String
        if let builtin = BuiltinAssets.theme(named: name) {
            text = builtin
        } else if Path.exists(name), !Path.isFolder(name), let data = readFile(name, limit: 1 << 20) {
            text = String(decoding: data, as: UTF8.self)
        } else {
            let names = BuiltinAssets.themes.keys.sorted().joined(separator: ", ")
            throw CLIFailure(status: 66, message: "rmpviz: --theme \(Diagnostic.printable(name)): no such theme file, and not a built-in theme (\(names))")
        }
        switch Theme.parseAll(text) {
        case .success(let theme): return theme
        case .failure(let errors):
            // Like a scene's: every error at once, each with its line and a caret under the bad word.
            var report = DiagnosticReport()
            for e in errors {
                let at = SourceLocation(line: e.line, column: e.column, length: e.length)
                report.add(Diagnostic(path: name, location: at, message: e.message), source: text)
            }
            throw CLIFailure(report: report)
        }
    }

    /// The theme as terminal colour pairs: xterm-256 with the nearest of the 8 basic colours as fallback.
    static func palette(_ theme: Theme) -> [Style.Role: (fg: TermColor, bg: TermColor)] {
        func term(_ c: RGB?) -> TermColor { c.map { .indexed($0.xterm256, fallback: $0.basic8) } ?? .default }
        var out: [Style.Role: (fg: TermColor, bg: TermColor)] = [:]
        // A role without its own colours takes the theme's foreground and background, so a theme
        // paints every cell: the projector's white shows on a dark terminal too.
        for role in Style.Role.allCases {
            let c = theme.roles[role] ?? Theme.Colors()
            out[role] = (term(c.fg ?? theme.foreground), term(c.bg ?? theme.background))
        }
        return out
    }
}
