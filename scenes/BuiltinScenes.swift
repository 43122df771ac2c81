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
    public static let all: [File] = [
        File(name: "ghcb-upm", fileName: "ghcb-upm.scene", bytes: PackageResources.ghcb_upm_scene),
        File(name: "no-upm-host-write", fileName: "no-upm-host-write.scene", bytes: PackageResources.no_upm_host_write_scene),
        File(name: "pf-fixup", fileName: "pf-fixup.scene", bytes: PackageResources.pf_fixup_scene),
        File(name: "kmap-guard", fileName: "kmap-guard.scene", bytes: PackageResources.kmap_guard_scene),
        File(name: "upm-basics", fileName: "upm-basics.scene", bytes: PackageResources.upm_basics_scene),
        File(name: "implicit-conversion", fileName: "implicit-conversion.scene", bytes: PackageResources.implicit_conversion_scene),
        File(name: "psc-refused", fileName: "psc-refused.scene", bytes: PackageResources.psc_refused_scene),
        File(name: "ghcb-race", fileName: "ghcb-race.scene", bytes: PackageResources.ghcb_race_scene),
        File(name: "guard-race", fileName: "guard-race.scene", bytes: PackageResources.guard_race_scene),
        File(name: "talk", fileName: "talk.deck", bytes: PackageResources.talk_deck),
    ]

    public static func named(_ name: String) -> File? {
        all.first { $0.name == name || $0.fileName == name }
    }
}
