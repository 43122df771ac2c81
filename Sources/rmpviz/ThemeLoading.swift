import BuiltinAssets
import CursesTerminal
import Glibc
import Screen

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
            throw CLIFailure(status: 66, message: "rmpviz: --theme \(name): no such theme file, and not a built-in theme (\(names))")
        }
        switch Theme.parse(text) {
        case .success(let theme): return theme
        case .failure(let e): throw CLIFailure(status: 65, message: "\(name):\(e.line):1: error: \(e.message)")
        }
    }

    /// The theme as terminal colour pairs: xterm-256 with the nearest of the 8 basic colours as fallback.
    static func palette(_ theme: Theme) -> [Style.Role: (fg: TermColor, bg: TermColor)] {
        func term(_ c: RGB?) -> TermColor { c.map { .indexed($0.xterm256, fallback: $0.basic8) } ?? .default }
        var out: [Style.Role: (fg: TermColor, bg: TermColor)] = [:]
        for role in Style.Role.allCases {
            let c = theme.roles[role] ?? Theme.Colors()
            out[role] = (term(c.fg), term(c.bg))
        }
        return out
    }
}
