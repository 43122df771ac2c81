import MemoryModel
import SceneLanguage
import StepEngine

extension ViewerState {
    /// Re-runs the scene and every variant under the next kernel, keeping the variant, step and
    /// action, so the same steps can be watched ending differently on another kernel. A kernel under
    /// which the scene cannot run (an operation that needs UPM under `upm off`) is skipped, and the
    /// message says why.
    mutating func switchKernel() {
        let scene = trace.scene
        var kernel = trace.config.kernel
        var skipped: [String] = []
        for _ in 1..<Kernel.allCases.count {
            kernel = kernel.next
            let overrides = [Setting(key: .kernel, value: kernel.rawValue, location: SourceLocation(line: 0, column: 0))]
                + scene.overrides.filter { $0.key != .kernel }
            switch scene.applying(overrides) {
            case .success(let rerun):
                reload(traces: Engine.runAll(rerun))
                let why = skipped.isEmpty ? "" : " (skipped " + skipped.joined(separator: "; ") + ")"
                message = "re-run under \(kernel.label): same steps\(why)"
                return
            case .failure(let problems):
                let first = problems.first.map { "line \($0.location.line): \($0.message)" } ?? "not possible"
                skipped.append("\(kernel.rawValue): \(first)")
            }
        }
        message = "no other kernel can run this scene: " + skipped.joined(separator: "; ")
    }
}
