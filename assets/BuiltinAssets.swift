/// Data files from `assets/` (themes, fonts), compiled into the binary so that it works alone.
public enum BuiltinAssets {
    /// Built-in themes by name.
    public static let themes: [String: [UInt8]] = [
        "dark": PackageResources.dark_theme,
        "light": PackageResources.light_theme,
        "projector": PackageResources.projector_theme,
    ]

    /// The FIGlet font of title cards ("small", from figlet, BSD-3-clause).
    public static var titleFont: String { String(decoding: PackageResources.small_flf, as: UTF8.self) }

    public static func theme(named name: String) -> String? {
        themes[name].map { String(decoding: $0, as: UTF8.self) }
    }
}
