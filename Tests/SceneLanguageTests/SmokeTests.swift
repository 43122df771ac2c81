import Testing
@testable import SceneLanguage

@Test func smoke() {
    for s in Samples.all {
        switch parseScene(s, path: "x.scene") {
        case .success(let scene): print(scene.steps.map { $0.operations.map(\.text) })
        case .failure(let d): Issue.record(Comment(rawValue: d.rendered(source: s)))
        }
    }
}
