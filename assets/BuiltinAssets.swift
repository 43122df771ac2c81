/// Data files from `assets/` (themes, fonts), compiled into the binary.
public enum BuiltinAssets {
    public static let files: [String: [UInt8]] = [:]
}
