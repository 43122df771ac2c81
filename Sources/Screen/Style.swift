// Styles are semantic: a widget says what a cell *means*, and a theme (or the terminal layer)
// decides how that looks. Attributes carry the meaning on monochrome terminals.

/// How a cell is drawn: a semantic role plus text attributes.
///
/// Every role that matters has default attributes, so the screen stays legible without colour.
public struct Style: Hashable, Sendable {
    /// What a cell means; themes map roles to colours.
    public enum Role: UInt8, CaseIterable, Hashable, Sendable {
        case normal, dim, header, title, border, selected, highlight, changed
        case info, warning, error, fatal, banner, key, notReached, free

        /// The role's name as written in theme files (the case name). Spelt out: "\(self)" would
        /// look the enum's description up at run time, on every theme read at start.
        public var name: String {
            switch self {
            case .normal: "normal"
            case .dim: "dim"
            case .header: "header"
            case .title: "title"
            case .border: "border"
            case .selected: "selected"
            case .highlight: "highlight"
            case .changed: "changed"
            case .info: "info"
            case .warning: "warning"
            case .error: "error"
            case .fatal: "fatal"
            case .banner: "banner"
            case .key: "key"
            case .notReached: "notReached"
            case .free: "free"
            }
        }

        /// The role with `name`, or nil; used when reading theme files.
        public init?(name: String) {
            guard let role = Role.allCases.first(where: { $0.name == name }) else { return nil }
            self = role
        }

        /// Attributes that keep the role's meaning visible on a monochrome terminal.
        public var defaultAttributes: Attributes {
            switch self {
            case .normal, .border, .info, .free: []
            case .dim, .notReached: [.dim]
            case .header, .title, .banner, .key, .warning: [.bold]
            case .selected: [.reverse]
            case .highlight: [.bold, .underline]
            case .changed, .fatal: [.bold, .reverse]
            case .error: [.bold, .underline]
            }
        }
    }

    /// Text attributes understood by every terminal worth supporting.
    public struct Attributes: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let bold = Attributes(rawValue: 1 << 0)
        public static let reverse = Attributes(rawValue: 1 << 1)
        public static let underline = Attributes(rawValue: 1 << 2)
        public static let dim = Attributes(rawValue: 1 << 3)
    }

    public var role: Role
    public var attributes: Attributes

    /// A style for `role`; without explicit attributes the role's defaults apply.
    public init(_ role: Role = .normal, attributes: Attributes? = nil) {
        self.role = role
        self.attributes = attributes ?? role.defaultAttributes
    }

    /// The same role with extra attributes.
    public func adding(_ extra: Attributes) -> Style {
        Style(role, attributes: attributes.union(extra))
    }

    public static let normal = Style(.normal)
    public static let dim = Style(.dim)
    public static let header = Style(.header)
    public static let title = Style(.title)
    public static let border = Style(.border)
    public static let selected = Style(.selected)
    public static let highlight = Style(.highlight)
    public static let changed = Style(.changed)
    public static let info = Style(.info)
    public static let warning = Style(.warning)
    public static let error = Style(.error)
    public static let fatal = Style(.fatal)
    public static let banner = Style(.banner)
    public static let key = Style(.key)
    public static let notReached = Style(.notReached)
    public static let free = Style(.free)
}
