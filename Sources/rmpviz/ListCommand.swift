import ArgumentParser
import BuiltinScenes
import SceneLanguage

/// `rmpviz list`: the built-in scenes and decks.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the built-in scenes and decks, name and title.",
        discussion: "Example: rmpviz list")

    func run() throws {
        for file in BuiltinScenes.all {
            let title: String
            if file.isDeck {
                title = (try? parseDeck(bytes: file.bytes, path: file.fileName).get().title) ?? nil ?? "(deck)"
            } else {
                title = (try? parseScene(bytes: file.bytes, path: file.fileName).get().title) ?? "(does not parse)"
            }
            let kind = file.isDeck ? "deck " : "scene"
            print("\(kind) \(file.name + String(repeating: " ", count: max(0, 18 - file.name.count))) \(Diagnostic.printable(title))")
        }
    }
}
