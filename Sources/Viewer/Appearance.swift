import StepEngine

/// Everything `ViewerState.render()` reads, as one value: two states with equal appearances draw
/// the same grid. The terminal loop compares it before and after a key, so a key that changes
/// nothing (an arrow at the end of a table, an unknown key) is neither rendered nor written.
public struct ViewerAppearance: Hashable, Sendable {
    let run: ObjectIdentifier
    let index: Int
    let variant: Int
    let size: [Int]
    let focus: TableKind
    let selection: [Int]
    let scroll: [Int]
    let mode: ViewerMode
    let number: String
    let message: String?
    let flags: [Bool]
    let presentation: String?
    let keyLayer: [KeyLegendEntry]
    let diagnostics: [String]
    /// The right side of a comparison: its run, its action and whether its step is reached.
    let compared: [Int]?
    let comparedRun: ObjectIdentifier?
}

extension ViewerState {
    public var appearance: ViewerAppearance {
        ViewerAppearance(
            run: ObjectIdentifier(trace), index: index, variant: variant, size: [width, height], focus: focus,
            selection: selection, scroll: scroll, mode: mode, number: number, message: message,
            flags: [historyShowsAll, ascii, bannerHidden, wantsRedraw, quit],
            presentation: presentation, keyLayer: keyLayer, diagnostics: diagnostics,
            compared: compared.map { [$0.cursor.index, $0.stepNotReached ? 1 : 0, $0.measure.sides, $0.measure.say] },
            comparedRun: compared.map { ObjectIdentifier($0.trace) })
    }
}
