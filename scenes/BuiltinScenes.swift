/// The scenes and decks in `scenes/`, compiled into the binary so that it works alone.
public enum BuiltinScenes {
    /// A built-in file: its name without extension, its file name, and its text.
    public struct File: Sendable {
        public let name: String
        public let fileName: String
        public let bytes: [UInt8]
        public var text: String { String(decoding: bytes, as: UTF8.self) }
        public var isDeck: Bool { fileName.hasSuffix(".deck") }
    }

    /// Every built-in file, in the order `rmpviz list` shows them. A test checks this against the folder.
    public static let all: [File] = []

    public static func named(_ name: String) -> File? {
        all.first { $0.name == name || $0.fileName == name }
    }
}
