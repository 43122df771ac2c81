// The built-in scenes: the embedded copies match `scenes/`, and every scene parses, runs and passes.
import BuiltinScenes
import Foundation
import SceneLanguage
import StepEngine
import Testing

/// The package's `scenes/` folder (this file is Tests/StepEngineTests/BuiltinSceneTests.swift).
private let scenesFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("scenes")

private func folderFiles() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: scenesFolder.path)
        .filter { $0.hasSuffix(".scene") || $0.hasSuffix(".deck") }
        .sorted()
}

private func parsed(_ file: BuiltinScenes.File) throws -> Scene {
    switch parseScene(bytes: file.bytes, path: "scenes/\(file.fileName)") {
    case .success(let s): return s
    case .failure(let d):
        Issue.record("\(file.fileName) does not parse:\n\(d.rendered(source: file.text))")
        throw d
    }
}

private let sceneFiles = BuiltinScenes.all.filter { !$0.isDeck }

@Suite struct BuiltinSceneTests {
    @Test func folderAndEmbeddedListAgree() throws {
        let files = try folderFiles()
        #expect(files.count >= 7)
        #expect(Set(BuiltinScenes.all.map(\.fileName)) == Set(files), "BuiltinScenes.all vs scenes/")
        #expect(BuiltinScenes.all.count == Set(BuiltinScenes.all.map(\.fileName)).count, "no file listed twice")
        for f in BuiltinScenes.all {
            #expect(f.name + (f.isDeck ? ".deck" : ".scene") == f.fileName)
            #expect(BuiltinScenes.named(f.name)?.fileName == f.fileName)
            #expect(BuiltinScenes.named(f.fileName)?.fileName == f.fileName)
        }
    }

    @Test func packageManifestListsEveryFile() throws {
        let manifestURL = scenesFolder.deletingLastPathComponent().appendingPathComponent("Package.swift")
        let manifest = try String(contentsOf: manifestURL, encoding: .utf8)
        // The `let builtinScenes = [ … ]` literal.
        let start = try #require(manifest.range(of: "let builtinScenes = ["))
        let end = try #require(manifest.range(of: "]", range: start.upperBound..<manifest.endIndex))
        let listed = manifest[start.upperBound..<end.lowerBound]
            .split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            .filter { !$0.isEmpty }
        #expect(Set(listed) == Set(try folderFiles()), "Package.swift builtinScenes: \(listed)")
        #expect(listed.count == Set(listed).count)
    }

    @Test func embeddedBytesEqualTheFiles() throws {
        for f in BuiltinScenes.all {
            let onDisk = try Data(contentsOf: scenesFolder.appendingPathComponent(f.fileName))
            #expect([UInt8](onDisk) == f.bytes, "\(f.fileName): the embedded copy is stale")
        }
    }

    @Test(arguments: sceneFiles.map(\.fileName))
    func everyVariantPasses(_ fileName: String) throws {
        let file = try #require(BuiltinScenes.named(fileName))
        let scene = try parsed(file)
        let traces = Engine.runAll(scene)
        #expect(traces.count == max(1, scene.variants.count))
        #expect(!scene.expectations.isEmpty || scene.variants.contains { !$0.expectations.isEmpty },
                "\(fileName) expects something")
        for t in traces {
            for e in t.expectations where !e.passed {
                Issue.record("\(fileName) \(t.variant?.name ?? "-"): line \(e.expectation.location.line): \(e.text): \(e.detail)")
            }
            #expect(t.passed)
            #expect(t.stepsRun >= 1 && t.stepsRun <= t.stepCount)
            #expect(t.actionCount > 0)
        }
    }

    @Test(arguments: sceneFiles.map(\.fileName))
    func hasTitleSourceAboutSayAndNote(_ fileName: String) throws {
        let scene = try parsed(try #require(BuiltinScenes.named(fileName)))
        #expect(!scene.title.trimmingCharacters(in: .whitespaces).isEmpty, "\(fileName): title")
        #expect(!(scene.source ?? "").trimmingCharacters(in: .whitespaces).isEmpty, "\(fileName): source")
        #expect(!scene.about.isEmpty && scene.about.allSatisfy { !$0.isEmpty }, "\(fileName): about")
        #expect(!scene.steps.isEmpty)
        for (i, step) in scene.steps.enumerated() {
            #expect(!step.say.isEmpty, "\(fileName): step \(i + 1) \"\(step.title)\" has no say")
            #expect(!step.title.isEmpty)
        }
        #expect(scene.steps.contains { !$0.notes.isEmpty }, "\(fileName): no note in any step")
    }

    @Test func deckEntriesNameBuiltinScenesAndVariants() throws {
        let decks = BuiltinScenes.all.filter(\.isDeck)
        #expect(!decks.isEmpty)
        for deckFile in decks {
            let deck: Deck
            switch parseDeck(bytes: deckFile.bytes, path: "scenes/\(deckFile.fileName)") {
            case .success(let d): deck = d
            case .failure(let d):
                Issue.record("\(deckFile.fileName):\n\(d.rendered(source: deckFile.text))")
                continue
            }
            #expect(deck.title?.isEmpty == false)
            #expect(!deck.entries.isEmpty)
            for entry in deck.entries {
                guard let file = BuiltinScenes.named(entry.reference), !file.isDeck else {
                    Issue.record("\(deckFile.fileName):\(entry.location.line): '\(entry.reference)' is not a built-in scene")
                    continue
                }
                let scene = try parsed(file)
                if let v = entry.variant {
                    #expect(scene.variants.contains { $0.name == v },
                            "\(deckFile.fileName):\(entry.location.line): \(entry.reference) has no variant '\(v)'")
                }
            }
            // Every built-in scene appears in the talk.
            let referenced = Set(deck.entries.compactMap { BuiltinScenes.named($0.reference)?.fileName })
            #expect(referenced == Set(sceneFiles.map(\.fileName)), "\(deckFile.fileName) covers \(referenced)")
        }
    }
}
