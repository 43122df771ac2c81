import ArgumentParser
import Export
import Foundation
import StepEngine
import Viewer

/// `rmpviz export`: every frame of a run, from the same grid the terminal shows.
struct ExportFrames: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the frames of a run as text, ANSI, SVG, HTML or an asciicast.",
        discussion: "Example: rmpviz export ghcb-upm --variant discard --format txt --size 160x45 -o ghcb.txt")

    @Argument(help: "A scene file or a built-in scene name.")
    var scene: String

    @Option(help: "The variant (default: the first).")
    var variant: String?

    @Option(help: "Output format: txt.")
    var format: String = "txt"

    @Option(help: "Frame size, COLSxROWS (at least 80x24).")
    var size: String = "160x45"

    @Option(help: "Only the frame at the end of step N.")
    var step: Int?

    @Option(name: .shortAndLong, help: "Output file (default: standard output).")
    var output: String?

    func run() throws {
        try exiting { () throws(CLIFailure) in
            let (w, h) = try parseSize(size)
            let trace = try loadTrace(scene, variant: variant, settings: [])
            guard var state = ViewerState(traces: [trace], width: w, height: h) else { return }
            var out = OutputBuffer()
            let actions: [Int]
            if let step {
                let range = trace.actions(ofStep: step - 1)
                guard step >= 1, step <= trace.stepCount, !range.isEmpty else {
                    throw CLIFailure(status: 64, message: "rmpviz: --step \(step): the run has steps 1–\(trace.stepsRun)")
                }
                actions = [range.upperBound - 1]
            } else {
                actions = Array(0..<trace.actionCount)
            }
            for (n, a) in actions.enumerated() {
                state.jump(to: a)
                if n > 0 { out.line("\u{0C}") }
                out.line(state.render().text)
            }
            out.flush()
        }
    }
}

/// `COLSxROWS`, at least 80×24.
func parseSize(_ text: String) throws(CLIFailure) -> (Int, Int) {
    let parts = text.lowercased().split(separator: "x").map { Int($0) }
    guard parts.count == 2, let w = parts[0], let h = parts[1] else {
        throw CLIFailure(status: 64, message: "rmpviz: --size \(text): expected COLSxROWS, e.g. 160x45")
    }
    guard w >= 80, h >= 24, w <= 1000, h <= 500 else {
        throw CLIFailure(status: 64, message: "rmpviz: --size \(text): must be from 80x24 to 1000x500")
    }
    return (w, h)
}
