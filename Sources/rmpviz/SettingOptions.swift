import ArgumentParser
import MemoryModel
import SceneLanguage

/// `--kernel K` and `--set KEY=VALUE`, shared by every command that runs a scene. Their help lists
/// the keys from the model's one settings table.
struct SettingOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The kernel the runs stand for: thread, v5 or mainline (default: the scene's, else mainline).",
        discussion: Kernel.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "\n")))
    var kernel: String?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override a setting for every run, e.g. --set discard-on-convert=on (repeatable).",
        discussion: "Keys: " + SettingKey.allCases.map(\.rawValue).joined(separator: ", ")
            + ". Each key's values and meaning: docs/kernels.md and docs/scene-language.md.",
        valueName: "KEY=VALUE"))
    var settings: [String] = []

    /// The settings in the order they apply: the kernel first, then each `--set`.
    func overrides() throws(CLIFailure) -> [Setting] {
        let nowhere = SourceLocation(line: 0, column: 0)
        guard let kernel else { return try sets(nowhere) }
        if let problem = SettingKey.kernel.problem(with: kernel) {
            throw CLIFailure(status: 64, message: "rmpviz: --kernel \(kernel): \(problem)"
                             + Suggest.didYouMean(kernel, in: Kernel.allCases.map(\.rawValue)))
        }
        return try [Setting(key: .kernel, value: kernel, location: nowhere)] + sets(nowhere)
    }

    private func sets(_ nowhere: SourceLocation) throws(CLIFailure) -> [Setting] {
        var out: [Setting] = []
        for s in settings {
            let parts = s.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let keys = SettingKey.allCases.map(\.rawValue)
            guard parts.count == 2 else {
                throw CLIFailure(status: 64, message: "rmpviz: --set \(s): expected KEY=VALUE, e.g. --set upm=off")
            }
            guard let key = SettingKey(rawValue: parts[0]) else {
                throw CLIFailure(status: 64, message: "rmpviz: --set \(s): unknown key '\(parts[0])'"
                                 + Suggest.didYouMean(parts[0], in: keys) + "; keys: " + keys.joined(separator: ", "))
            }
            if let problem = key.problem(with: parts[1]) {
                throw CLIFailure(status: 64, message: "rmpviz: --set \(s): \(problem)"
                                 + Suggest.didYouMean(parts[1], in: key.values))
            }
            out.append(Setting(key: key, value: parts[1], location: nowhere))
        }
        return out
    }
}
