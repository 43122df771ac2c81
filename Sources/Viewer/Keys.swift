/// A key or mouse event as the viewer sees it; the terminal layer translates its events to these.
public enum Key: Hashable, Sendable {
    case char(Character)
    case ctrl(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, backspace, tab, backTab, escape
    /// A function key: F1 is 1.
    case function(Int)
    case click(x: Int, y: Int)
    case wheelUp(x: Int, y: Int)
    case wheelDown(x: Int, y: Int)
    case resize(width: Int, height: Int)

    /// How the help screen and the footer write the key.
    public var label: String {
        switch self {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .ctrl(let c): "Ctrl-\(c.uppercased())"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .backspace: "Backspace"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .escape: "Esc"
        case .function(let n): "F\(n)"
        case .click: "click"
        case .wheelUp, .wheelDown: "wheel"
        case .resize: "resize"
        }
    }
}

/// Everything the viewer can be asked to do; keys map to these, views act on these.
public enum ViewerAction: Hashable, Sendable {
    case nextAction, previousAction, nextStep, previousStep, first, last
    case digit(Int)
    /// Enter: go to the typed step number, or open the page history of the selected row.
    case enter
    case nextVariant, previousVariant
    /// Open (or close) the comparison with the next variant; cycle what the right side is.
    case toggleCompare, cycleCompare
    /// Re-run the scene under the next kernel (thread → v5 → mainline), keeping the position.
    case nextKernel
    case focusNext, focusPrevious
    case selectUp, selectDown, selectPageUp, selectPageDown
    case find
    /// Hide (or show again) the ending banner or oops, to read the tables under it.
    case toggleBanner
    /// In a page history: every action, or only those that touched the page.
    case toggleHistoryAll
    case help
    case back
    case quit
    case redraw
}

/// One line of the key map: keys, the action, and what the help screen says of it.
public struct KeyBinding: Sendable {
    public let keys: [Key]
    public let action: ViewerAction
    public let help: String
    /// Shown in the footer when there is room, in this order.
    public let footer: String?
}

/// The single key map: dispatch and the help screen are both made from it, so they cannot drift.
public enum KeyMap {
    public static let bindings: [KeyBinding] = [
        KeyBinding(keys: [.right, .char("l"), .char(" "), .char("n")], action: .nextAction,
                   help: "next action", footer: "→ next"),
        KeyBinding(keys: [.left, .char("h"), .char("p"), .backspace], action: .previousAction,
                   help: "previous action", footer: "← back"),
        KeyBinding(keys: [.pageDown, .char("]")], action: .nextStep, help: "next step", footer: "] step"),
        KeyBinding(keys: [.pageUp, .char("[")], action: .previousStep, help: "previous step", footer: nil),
        KeyBinding(keys: [.char("g"), .home], action: .first, help: "first action", footer: nil),
        KeyBinding(keys: [.char("G"), .end], action: .last, help: "last action", footer: "G end"),
        KeyBinding(keys: (0...9).map { .char(Character(String($0))) }, action: .digit(0),
                   help: "a number, then Enter: go to step N", footer: nil),
        KeyBinding(keys: [.char("v")], action: .nextVariant, help: "next variant (same step)", footer: "v variant"),
        KeyBinding(keys: [.char("V")], action: .previousVariant, help: "previous variant", footer: nil),
        KeyBinding(keys: [.char("c")], action: .toggleCompare,
                   help: "compare side by side with the next variant (again: close)", footer: nil),
        KeyBinding(keys: [.char("C")], action: .cycleCompare,
                   help: "in a comparison: the right side becomes the next variant, then each kernel", footer: nil),
        KeyBinding(keys: [.char("K")], action: .nextKernel, help: "re-run under the next kernel (same step)",
                   footer: "K kernel"),
        KeyBinding(keys: [.tab], action: .focusNext, help: "focus the next table (in a narrow comparison: the other table pair)", footer: "Tab table"),
        KeyBinding(keys: [.backTab], action: .focusPrevious, help: "focus the previous table", footer: nil),
        KeyBinding(keys: [.up, .char("k")], action: .selectUp, help: "select the row above", footer: nil),
        KeyBinding(keys: [.down, .char("j")], action: .selectDown, help: "select the row below", footer: "↑↓ row"),
        KeyBinding(keys: [.enter], action: .enter, help: "page history of the selected row", footer: "Enter history"),
        KeyBinding(keys: [.char("/")], action: .find, help: "find a page by name, gfn or frame", footer: "/ find"),
        KeyBinding(keys: [.char("a")], action: .toggleHistoryAll,
                   help: "in a page history: every action, or only those that touched the page", footer: nil),
        KeyBinding(keys: [.char("o")], action: .toggleBanner,
                   help: "hide or show the ending banner (the oops), to read the tables under it", footer: nil),
        KeyBinding(keys: [.char("?"), .function(1)], action: .help, help: "this help", footer: "? help"),
        KeyBinding(keys: [.escape], action: .back, help: "close help, history or find", footer: nil),
        KeyBinding(keys: [.ctrl("l")], action: .redraw, help: "redraw the screen", footer: nil),
        KeyBinding(keys: [.char("q"), .ctrl("c")], action: .quit, help: "quit", footer: "q quit"),
    ]

    private static let table: [Key: ViewerAction] = {
        var t: [Key: ViewerAction] = [:]
        for b in bindings {
            for k in b.keys {
                if case .digit = b.action, case .char(let c) = k, let d = c.wholeNumberValue {
                    t[k] = .digit(d)
                } else {
                    t[k] = b.action
                }
            }
        }
        return t
    }()

    /// The action a key asks for, or nil: unknown keys do nothing.
    public static func action(for key: Key) -> ViewerAction? { table[key] }
}
