import CNcurses

/// SIGINT, SIGTERM and SIGHUP for work done without a terminal screen (a long `explore`): the
/// handlers only set a flag, so the work can stop cleanly and print what it has.
public enum QuitSignals {
    /// Installs the flag-setting handlers (and the crash handlers that restore a terminal).
    public static func install() { _ = rmpviz_install_signal_handlers() }

    /// The pending signal's number, left pending, or nil.
    public static func pending() -> Int32? {
        let s = rmpviz_peek_pending_signal()
        return s == 0 ? nil : s
    }
}
