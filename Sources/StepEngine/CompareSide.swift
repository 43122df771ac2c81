import MemoryModel
import SceneLanguage

/// What the right side of a comparison is (issue 11): another variant of the scene, or settings laid
/// on top of the left's variant (`kernel=mainline`, `discard-on-convert=on,allocator=lowest`).
/// The command line, the viewer's cycling key and deck entries all read and run it here.
public enum CompareSide: Hashable, Sendable {
    case variant(String)
    case settings([SettingPair])

    /// One `KEY=VALUE` of a settings side.
    public struct SettingPair: Hashable, Sendable {
        public let key: SettingKey
        public let value: String

        public init(key: SettingKey, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// Why a side could not be read or run; `isUsage` tells a mistyped side from a scene the
    /// settings cannot run.
    public struct Problem: Error, Sendable {
        public let message: String
        public let isUsage: Bool
    }

    /// Reads a side as the user wrote it: a variant's name, or `KEY=VALUE[,KEY=VALUE…]`.
    public static func parse(_ text: String, scene: Scene) -> Result<CompareSide, Problem> {
        if scene.variants.contains(where: { $0.name == text }) { return .success(.variant(text)) }
        var pairs: [SettingPair] = []
        for pair in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let key = SettingKey(rawValue: parts[0]) else {
                let names = scene.variants.map(\.name)
                // A pair with an unknown key is a mistyped setting: suggest from the key alone.
                let typo = parts.count == 2 ? Suggest.didYouMean(parts[0], in: SettingKey.allCases.map(\.rawValue))
                    : Suggest.didYouMean(text, in: names + SettingKey.allCases.map(\.rawValue))
                return .failure(Problem(message: "\(text): not a variant" + (names.isEmpty ? "" : " (\(names.joined(separator: ", ")))")
                                        + " nor KEY=VALUE settings" + typo, isUsage: true))
            }
            if let problem = key.problem(with: parts[1]) {
                return .failure(Problem(message: "\(pair): \(problem)", isUsage: true))
            }
            pairs.append(SettingPair(key: key, value: parts[1]))
        }
        return .success(.settings(pairs))
    }

    /// How a screen names the side: the variant, or its settings.
    public var label: String {
        switch self {
        case .variant(let name): name
        case .settings(let pairs): pairs.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: ",")
        }
    }

    /// The scene the right side runs, and its variant, for a left run of `variant` of `scene`: the
    /// named variant, or the left's variant with the settings on top of the scene's own overrides.
    /// A problem when the scene has no such variant or the settings make a line impossible.
    public func resolve(in scene: Scene, variant: Int?) -> Result<(scene: Scene, variant: Int?), Problem> {
        switch self {
        case .variant(let name):
            guard let i = scene.variants.firstIndex(where: { $0.name == name }) else {
                return .failure(Problem(message: "the scene has no variant '\(name)'", isUsage: true))
            }
            return .success((scene, i))
        case .settings(let pairs):
            let nowhere = SourceLocation(line: 0, column: 0)
            let settings = pairs.map { Setting(key: $0.key, value: $0.value, location: nowhere) }
            // The side names itself once, ahead of the lines it makes impossible.
            switch scene.applying(scene.overrides + settings, origin: "", onlyVariant: variant) {
            case .success(let s): return .success((s, variant))
            case .failure(let d):
                return .failure(Problem(message: "\(label): " + d.map { "line \($0.location.line): \($0.message)" }.joined(separator: "; "),
                                        isUsage: false))
            }
        }
    }

    /// The right run against a left run.
    public func run(against left: Trace) -> Result<Trace, Problem> {
        resolve(in: left.scene, variant: left.variantIndex).map { Engine.run($0.scene, variant: $0.variant) }
    }

    /// The sides a viewer cycles through for a left run: the other variants (in order after the
    /// left's), then the left's variant under each other kernel.
    public static func candidates(for left: Trace) -> [CompareSide] {
        let names = left.scene.variants.map(\.name)
        var out: [CompareSide] = []
        if let i = left.variantIndex, !names.isEmpty {
            for k in 1..<max(1, names.count) { out.append(.variant(names[(i + k) % names.count])) }
        }
        var kernel = left.config.kernel
        for _ in 1..<Kernel.allCases.count {
            kernel = kernel.next
            out.append(.settings([SettingPair(key: .kernel, value: kernel.rawValue)]))
        }
        return out
    }
}
