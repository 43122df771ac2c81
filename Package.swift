// swift-tools-version:6.0
// rmpviz: a terminal program that makes SEV-SNP private memory conversion visible.
import Foundation
import PackageDescription

/// Files in `folder` with one of `extensions`, so that adding a scene or a theme needs no edit here.
func files(in folder: String, extensions: [String]) -> [String] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    return names.filter { name in extensions.contains { name.hasSuffix(".\($0)") } }.sorted()
}

let package = Package(
    name: "rmpviz",
    products: [
        .executable(name: "rmpviz", targets: ["rmpviz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The pure core: no I/O anywhere below the executable.
        .target(name: "MemoryModel"),
        .target(name: "SceneLanguage", dependencies: ["MemoryModel"]),
        .target(name: "StepEngine", dependencies: ["MemoryModel", "SceneLanguage"]),
        .target(name: "Screen"),
        .target(name: "Viewer", dependencies: ["StepEngine", "Screen"]),
        .target(name: "Export", dependencies: ["Viewer", "Screen"]),

        // Data compiled into the binary; `scenes/` and `assets/` stay the single source.
        .target(
            name: "BuiltinScenes", path: "scenes", sources: ["BuiltinScenes.swift"],
            resources: files(in: "scenes", extensions: ["scene", "deck"]).map { .embedInCode($0) }),
        .target(
            name: "BuiltinAssets", path: "assets", sources: ["BuiltinAssets.swift"],
            resources: files(in: "assets", extensions: ["theme", "flf"]).map { .embedInCode($0) }),

        // The only code that talks to ncurses.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .target(name: "CursesTerminal", dependencies: ["CNcurses", "Screen"]),

        // The thin shell: arguments, files, exit codes, the event loop.
        .executableTarget(
            name: "rmpviz",
            dependencies: [
                "MemoryModel", "SceneLanguage", "StepEngine", "Screen", "Viewer", "Export",
                "CursesTerminal", "BuiltinScenes", "BuiltinAssets",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Tests, mirroring the source folders; helpers shared by tests only.
        .target(name: "TestSupport", dependencies: ["Screen"], path: "Tests/TestSupport"),
        .testTarget(name: "MemoryModelTests", dependencies: ["MemoryModel"]),
        .testTarget(name: "SceneLanguageTests", dependencies: ["SceneLanguage", "BuiltinScenes", "TestSupport"]),
        .testTarget(name: "StepEngineTests", dependencies: ["StepEngine", "SceneLanguage", "BuiltinScenes", "TestSupport"]),
        .testTarget(name: "ScreenTests", dependencies: ["Screen", "TestSupport"]),
        .testTarget(name: "ViewerTests", dependencies: ["Viewer", "BuiltinScenes", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "CLITests", dependencies: ["rmpviz", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
