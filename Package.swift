// swift-tools-version:6.0
// rmpviz: a terminal program that makes SEV-SNP private memory conversion visible.
import PackageDescription

/// Built-in scenes and decks. `scenes/` is their only copy: they are embedded in the binary from
/// there. Listed by hand because SwiftPM caches the manifest, so a directory listing here goes stale;
/// a test checks this list against the folder.
let builtinScenes = [
    "ghcb-upm.scene", "no-upm-host-write.scene", "pf-fixup.scene", "kmap-guard.scene",
    "upm-basics.scene", "implicit-conversion.scene", "psc-refused.scene", "ghcb-race.scene", "guard-race.scene",
    "talk.deck",
]
/// Themes and fonts, embedded from `assets/` the same way.
let builtinAssets = [
    "themes/dark.theme", "themes/light.theme", "themes/projector.theme", "fonts/small.flf",
]

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
        .target(name: "Viewer", dependencies: ["MemoryModel", "SceneLanguage", "StepEngine", "Screen"]),
        .target(name: "Export", dependencies: ["MemoryModel", "SceneLanguage", "StepEngine", "Viewer", "Screen"]),

        // Data compiled into the binary; `scenes/` and `assets/` stay the single source.
        .target(
            name: "BuiltinScenes", path: "scenes", sources: ["BuiltinScenes.swift"],
            resources: builtinScenes.map { .embedInCode($0) }),
        .target(
            name: "BuiltinAssets", path: "assets", sources: ["BuiltinAssets.swift"],
            resources: builtinAssets.map { .embedInCode($0) }),

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
            ],
            // A release binary is linked statically, the Swift runtime, ncurses and the C library
            // included: it starts without the dynamic loader (no library loads, no symbol lookups,
            // no 42,000 relocations), 1.5 ms sooner than with only the Swift runtime static, and
            // it runs when copied anywhere alone. The price, as for Go's default binaries: the
            // executable's own image is not position-independent (its heap, stack and mappings are
            // still randomised). A static PIE would keep that too, but glibc refuses to start one
            // that has a RUNPATH, and SwiftPM always gives executables one ($ORIGIN).
            linkerSettings: [.unsafeFlags(["-static-executable", "-l_FoundationCShims", "-l_FoundationCollections", "-lswiftSynchronization", "-ltinfo", "-use-ld=lld"], .when(configuration: .release))]),

        // Tests, mirroring the source folders; helpers shared by tests only.
        .target(name: "TestSupport", dependencies: ["Screen", "MemoryModel"], path: "Tests/TestSupport"),
        .testTarget(name: "MemoryModelTests", dependencies: ["MemoryModel", "TestSupport"]),
        .testTarget(name: "SceneLanguageTests", dependencies: ["SceneLanguage", "BuiltinScenes", "TestSupport"]),
        .testTarget(name: "StepEngineTests", dependencies: ["StepEngine", "SceneLanguage", "BuiltinScenes", "TestSupport"]),
        .testTarget(name: "ScreenTests", dependencies: ["Screen", "BuiltinAssets", "TestSupport"]),
        .testTarget(name: "ViewerTests", dependencies: ["Viewer", "BuiltinScenes", "BuiltinAssets", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "CLITests", dependencies: ["rmpviz", "TestSupport"]),
        .testTarget(name: "ExportTests", dependencies: ["Export", "Viewer", "BuiltinScenes", "TestSupport"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
