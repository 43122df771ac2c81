import MemoryModel

/// A place in a source file: 1-based line and column (in characters), and the length of the span.
public struct SourceLocation: Sendable, Hashable {
    public var line: Int
    public var column: Int
    public var length: Int
    public init(line: Int, column: Int, length: Int = 1) {
        self.line = line
        self.column = column
        self.length = length
    }
}

/// A parsed, checked scene: declarations, steps, expectations and variants (scene-format.md).
public struct Scene: Sendable, Hashable {
    public var path: String
    public var title: String
    public var source: String?
    public var about: [String]
    /// `config` lines in order, already checked.
    public var config: [Setting]
    public var layout: Layout
    public var steps: [Step]
    /// Expectations written before the first variant: they hold for every run.
    public var expectations: [Expectation]
    public var variants: [Variant]
    /// Settings from the command line (`--kernel`, `--set`): they win over `config` and `set` lines.
    public var overrides: [Setting] = []

    public init(path: String, title: String, source: String? = nil, about: [String] = [], config: [Setting] = [],
                layout: Layout, steps: [Step], expectations: [Expectation] = [], variants: [Variant] = []) {
        self.path = path
        self.title = title
        self.source = source
        self.about = about
        self.config = config
        self.layout = layout
        self.steps = steps
        self.expectations = expectations
        self.variants = variants
    }

    /// The config of the scene as declared, before any variant.
    public var baseConfig: Config {
        var c = Config()
        for s in config { c.apply(s.key, s.value) }
        return c
    }

    /// The config of one variant: the declared config, then the variant's `set` lines, then the
    /// command line's overrides.
    public func config(for variant: Variant?) -> Config {
        var c = baseConfig
        for s in (variant?.settings ?? []) + overrides { c.apply(s.key, s.value) }
        return c
    }

    /// The lanes in the order they first appear, each with its steps' indices in file order.
    public var lanes: [(name: String, steps: [Int])] {
        var out: [(name: String, steps: [Int])] = []
        for (i, step) in steps.enumerated() {
            if let k = out.firstIndex(where: { $0.name == step.lane }) { out[k].steps.append(i) } else { out.append((step.lane, [i])) }
        }
        return out
    }

    /// Every run of the scene: its variants, or one run with no variant.
    public var runs: [Variant?] { variants.isEmpty ? [nil] : variants.map { $0 } }

    /// The scene with command-line settings; refused, with the operations' lines, when a run's
    /// resolved settings make an operation impossible (an operation that needs UPM under `upm off`).
    /// `origin` says where the overrides came from in messages (default: the command line's options).
    /// `onlyVariant`: check only that variant's run (a comparison runs one variant, and another
    /// variant that needs what the settings take away must not refuse it).
    public func applying(_ overrides: [Setting], origin: String? = nil, onlyVariant: Int? = nil) -> Result<Scene, Diagnostics> {
        var s = self
        s.overrides = overrides
        let problems = s.operationProblems(origin: origin, onlyVariant: onlyVariant)
        return problems.isEmpty ? .success(s) : .failure(Diagnostics(problems))
    }

    /// Operations a run's settings make impossible, at their lines (memory-model.md, Settings).
    public func operationProblems(limit: Int = SceneLimits.errors, origin: String? = nil, onlyVariant: Int? = nil) -> [Diagnostic] {
        // Variants often share a config: each distinct one is checked once per operation.
        var configs: [(name: String?, config: Config)] = []
        let checked = onlyVariant.flatMap { variants.indices.contains($0) ? [variants[$0]] : nil } ?? runs
        for v in checked {
            let c = config(for: v)
            if !configs.contains(where: { $0.config == c }) { configs.append((v?.name, c)) }
        }
        let origin = origin ?? (overrides.isEmpty ? "" : "with " + overrides.map { s in
            s.key == .kernel ? "--kernel \(s.value)" : "--set \(s.key.rawValue)=\(s.value)"
        }.joined(separator: " ") + ": ")
        var out: [Diagnostic] = []
        for step in steps {
            for line in step.operations {
                guard out.count < limit else { return out }
                for run in configs {
                    guard let reason = line.operation.impossibility(under: run.config) else { continue }
                    let prefix = run.name.map { "in variant '\($0)': " } ?? ""
                    out.append(Diagnostic(path: path, location: line.location, message: origin + prefix + reason))
                    break
                }
            }
        }
        return out
    }
}

/// One `config` or `set` line.
public struct Setting: Sendable, Hashable {
    public var key: SettingKey
    public var value: String
    public var location: SourceLocation
    public init(key: SettingKey, value: String, location: SourceLocation) {
        self.key = key
        self.value = value
        self.location = location
    }
}

/// A `step`: a title, its lane, its operations in order, narration and speaker notes.
public struct Step: Sendable, Hashable {
    public var title: String
    /// `lane=NAME`: steps of one lane keep their order; steps of different lanes may interleave.
    public var lane = Step.defaultLane
    public static let defaultLane = "main"
    public var operations: [OperationLine]
    public var say: [String]
    public var notes: [String]
    public var location: SourceLocation
    public init(title: String, operations: [OperationLine] = [], say: [String] = [], notes: [String] = [],
                location: SourceLocation) {
        self.title = title
        self.operations = operations
        self.say = say
        self.notes = notes
        self.location = location
    }
}

/// An operation with the source text it came from, so a trace can quote the scene.
public struct OperationLine: Sendable, Hashable {
    public var operation: Operation
    /// The statement as written, normalised to single spaces, e.g. "kvm map ghcb via=kmap".
    public var text: String
    public var location: SourceLocation
    public init(operation: Operation, text: String, location: SourceLocation) {
        self.operation = operation
        self.text = text
        self.location = location
    }
}

/// Over every interleaving of the lanes: raised in all of them, in at least one, in none.
public enum Quantifier: String, Sendable, Hashable, CaseIterable {
    case always, sometimes, never
}

/// `expect [no] OUTCOME [PAGE] [at=N]`, or `expect always|sometimes|never OUTCOME [PAGE]`.
public struct Expectation: Sendable, Hashable {
    public var negated: Bool
    /// Set for a quantified expectation, which `check` verifies by exploring every interleaving.
    public var quantifier: Quantifier?
    public var outcome: OutcomeKind
    /// The page argument as resolved; an outcome on any of its pages matches.
    public var page: PageTarget?
    /// The page argument as written, for messages.
    public var pageText: String?
    /// 1-based step number.
    public var atStep: Int?
    public var location: SourceLocation
    public init(negated: Bool, outcome: OutcomeKind, page: PageTarget? = nil, pageText: String? = nil,
                atStep: Int? = nil, quantifier: Quantifier? = nil, location: SourceLocation) {
        self.negated = negated
        self.quantifier = quantifier
        self.outcome = outcome
        self.page = page
        self.pageText = pageText
        self.atStep = atStep
        self.location = location
    }
}

/// `variant NAME STRING` with its `set` and `expect` lines.
public struct Variant: Sendable, Hashable {
    public var name: String
    public var title: String
    public var settings: [Setting]
    public var expectations: [Expectation]
    public var location: SourceLocation
    public init(name: String, title: String, settings: [Setting] = [], expectations: [Expectation] = [],
                location: SourceLocation) {
        self.name = name
        self.title = title
        self.settings = settings
        self.expectations = expectations
        self.location = location
    }
}

/// A deck: a talk's scenes in order (scene-format.md, Decks).
public struct Deck: Sendable, Hashable {
    public var path: String
    public var title: String?
    public var entries: [Entry]

    /// One `scene PATH [variant=NAME]` line, or `explore PATH [variant=NAME] [over=KEY,…]` (the
    /// scene's outcome matrix); the path is as written (relative to the deck, or a built-in name).
    public struct Entry: Sendable, Hashable {
        public var reference: String
        public var variant: String?
        /// Set for an `explore` line: the settings to explore over (possibly none).
        public var explore: [SettingKey]?
        /// Set for `scene … compare=SIDE`: the right side of a comparison, as written (a variant's
        /// name or KEY=VALUE settings), read against the scene once it is loaded.
        public var compare: String?
        public var location: SourceLocation
        /// Where `compare=`'s value is, for a diagnostic about it once the scene is read.
        public var compareLocation: SourceLocation?
        public init(reference: String, variant: String? = nil, explore: [SettingKey]? = nil, compare: String? = nil,
                    location: SourceLocation, compareLocation: SourceLocation? = nil) {
            self.reference = reference
            self.variant = variant
            self.explore = explore
            self.compare = compare
            self.location = location
            self.compareLocation = compareLocation
        }
    }

    public init(path: String, title: String? = nil, entries: [Entry]) {
        self.path = path
        self.title = title
        self.entries = entries
    }
}
