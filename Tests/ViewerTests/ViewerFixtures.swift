// Scenes, runs and viewer states shared by the viewer tests.
import BuiltinScenes
import MemoryModel
import SceneLanguage
import Screen
import StepEngine
import Testing
import Viewer

enum Fixture {
    /// The built-in scenes (decks are lists of scenes, not scenes), by name.
    static let sceneNames: [String] = BuiltinScenes.all.filter { !$0.isDeck }.map(\.name)

    /// Every run of every built-in scene, computed once.
    static let runs: [String: [Trace]] = {
        var out: [String: [Trace]] = [:]
        for file in BuiltinScenes.all where !file.isDeck {
            if case .success(let scene) = parseScene(bytes: file.bytes, path: "scenes/\(file.fileName)") {
                out[file.name] = Engine.runAll(scene)
            }
        }
        return out
    }()

    static func scene(_ text: String, path: String = "test.scene") throws -> Scene {
        switch parseScene(text, path: path) {
        case .success(let scene): return scene
        case .failure(let d):
            Issue.record(Comment(rawValue: d.rendered(source: text)))
            throw d
        }
    }

    /// A viewer on a built-in scene, at its first action.
    static func state(_ name: String, variant: Int = 0, width: Int = 160, height: Int = 45,
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ViewerState {
        let traces = try #require(runs[name], "built-in scene \(name) does not parse", sourceLocation: sourceLocation)
        return try #require(ViewerState(traces: traces, variant: variant, width: width, height: height),
                            sourceLocation: sourceLocation)
    }

    /// A viewer on scene text.
    static func state(text: String, width: Int = 160, height: Int = 45) throws -> ViewerState {
        let traces = Engine.runAll(try scene(text))
        return try #require(ViewerState(traces: traces, width: width, height: height))
    }
}

extension Grid {
    /// The rows of the text form.
    var lines: [String] { text.components(separatedBy: "\n") }

    /// Cells drawn in the `.changed` role, as (row, text) pairs.
    func changedRuns() -> [(row: Int, run: StyledRun)] {
        (0..<height).flatMap { y in styledRuns(row: y).filter { $0.style.role == .changed }.map { (y, $0) } }
    }
}

/// Where `needle` starts in `line` as a column count, or nil.
func column(of needle: String, in line: String) -> Int? {
    guard let r = line.range(of: needle) else { return nil }
    return line.distance(from: line.startIndex, to: r.lowerBound)
}
