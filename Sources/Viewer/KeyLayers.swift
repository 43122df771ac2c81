/// One line of a key map as the help screen and the footer show it.
public struct KeyLegendEntry: Sendable, Hashable {
    public let keys: [Key]
    public let help: String
    public let footer: String?
    public init(keys: [Key], help: String, footer: String?) {
        self.keys = keys
        self.help = help
        self.footer = footer
    }
}

/// What a presenter key asks for; the presenter's layer over the viewer's key map.
public enum PresenterAction: Hashable, Sendable {
    case forward, backward, nextScene, previousScene, blank, resetClock, sceneList
}

/// The presenter's key map, laid over the viewer's as tig layers its keymaps: a key bound here
/// means this, in dispatch, in `?` and in the footer; every other key keeps its viewer meaning.
public enum PresenterKeyMap {
    public struct Binding: Sendable {
        public let keys: [Key]
        public let action: PresenterAction
        public let help: String
        public let footer: String?
    }

    public static let bindings: [Binding] = [
        Binding(keys: [.pageDown, .char(" "), .right], action: .forward,
                help: "next action (a remote's PgDn); at a scene's end, the next scene's title card", footer: "PgDn next"),
        Binding(keys: [.pageUp, .left], action: .backward,
                help: "previous action; before a scene's first, its title card", footer: "PgUp back"),
        Binding(keys: [.char("}")], action: .nextScene, help: "next scene (its title card)", footer: "} scene"),
        Binding(keys: [.char("{")], action: .previousScene, help: "previous scene", footer: nil),
        Binding(keys: [.char("S")], action: .sceneList, help: "the list of scenes; a number then Enter jumps to scene N",
                footer: "S scenes"),
        Binding(keys: [.char("b"), .char(".")], action: .blank, help: "blank the screen (again to come back)", footer: "b blank"),
        Binding(keys: [.char("t")], action: .resetClock, help: "reset the clock", footer: nil),
    ]

    public static func action(for key: Key) -> PresenterAction? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    /// The presenter's layer as legend entries.
    public static var legend: [KeyLegendEntry] {
        bindings.map { KeyLegendEntry(keys: $0.keys, help: $0.help, footer: $0.footer) }
    }
}

extension KeyMap {
    /// The viewer's bindings as legend entries, under a layer: keys the layer binds are removed
    /// from them (a binding left with no key is dropped), and the layer's entries come first.
    public static func legend(under layer: [KeyLegendEntry]) -> [KeyLegendEntry] {
        let taken = Set(layer.flatMap(\.keys))
        let viewer = bindings.compactMap { b -> KeyLegendEntry? in
            let keys = b.keys.filter { !taken.contains($0) }
            guard !keys.isEmpty else { return nil }
            // A footer label naming a key that the layer took would lie; drop it then.
            let footer = keys.count == b.keys.count ? b.footer : nil
            return KeyLegendEntry(keys: keys, help: b.help, footer: footer)
        }
        return layer + viewer
    }
}
