import ArgumentParser

/// `rmpviz bench`: the speed targets of the issues, measured in-process.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure the speed targets.")
    func run() throws {}
}
