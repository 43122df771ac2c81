// A headless Chromium for the HTML export's browser tests, driven over the DevTools protocol on a
// pipe (`--remote-debugging-pipe`: commands on the child's fd 3, answers on its fd 4, each a JSON
// message ended by a NUL). Real key presses, mouse clicks and touches, an exact viewport, and
// screenshots; no ports, no npm, nothing but the browser.
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the browser is: `RMPVIZ_CHROMIUM`, or the first of the usual names on PATH.
enum ChromiumLocator {
    static let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"]

    static func find() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let given = env["RMPVIZ_CHROMIUM"], !given.isEmpty {
            return FileManager.default.isExecutableFile(atPath: given) ? given : nil
        }
        let path = (env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for name in names {
            for dir in path {
                let candidate = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    static let missing = """
        headless Chromium is needed for the HTML export's browser tests and was not found \
        (looked for \(names.joined(separator: ", ")) on PATH, or RMPVIZ_CHROMIUM if set). \
        Install it: apt-get install -y chromium (.ci/run does), or set RMPVIZ_CHROMIUM to a Chrome or Chromium binary.
        """
}

struct BrowserError: Error, CustomStringConvertible {
    let description: String
}

/// One browser with one page. Not thread-safe: one test drives one browser.
final class HeadlessBrowser {
    private let pid: pid_t
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private let profile: URL
    private var buffer: [UInt8] = []
    private var nextID = 0
    private var session = ""
    private var closed = false
    /// Events that arrived while waiting for answers, oldest first.
    private(set) var events: [[String: Any]] = []

    /// Starts the browser and attaches to its page. Throws with `ChromiumLocator.missing` when
    /// there is no browser.
    init(timeout: Double = 30) throws {
        guard let binary = ChromiumLocator.find() else { throw BrowserError(description: ChromiumLocator.missing) }
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("rmpviz-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)

        // Both pipes close on exec in this process (other tests spawn processes concurrently);
        // dup2 in the child clears that flag for fds 3 and 4 only.
        func pipePair() throws -> (Int32, Int32) {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw BrowserError(description: "pipe failed: errno \(errno)") }
            // Keep clear of 3 and 4, which dup2 overwrites in the child.
            let a = fcntl(fds[0], F_DUPFD_CLOEXEC, 10), b = fcntl(fds[1], F_DUPFD_CLOEXEC, 10)
            close(fds[0]); close(fds[1])
            return (a, b)
        }
        let (commandsRead, commandsWrite) = try pipePair()
        let (answersRead, answersWrite) = try pipePair()

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, commandsRead, 3)
        posix_spawn_file_actions_adddup2(&actions, answersWrite, 4)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        let arguments = [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                         "--user-data-dir=\(profile.path)", "--no-first-run", "--no-default-browser-check",
                         "--disable-extensions", "--disable-background-networking", "--disable-sync",
                         "--hide-scrollbars", "--mute-audio", "about:blank"]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, binary, &actions, nil, argv, environ)
        close(commandsRead)
        close(answersWrite)
        guard status == 0 else {
            close(commandsWrite); close(answersRead)
            try? FileManager.default.removeItem(at: profile)
            throw BrowserError(description: "could not start \(binary): \(String(cString: strerror(status)))")
        }
        pid = child
        toBrowser = commandsWrite
        fromBrowser = answersRead

        do {
            let targets = try call("Target.getTargets", session: .some(nil), timeout: timeout)["targetInfos"] as? [[String: Any]] ?? []
            guard let page = targets.first(where: { $0["type"] as? String == "page" }), let id = page["targetId"] as? String else {
                throw BrowserError(description: "the browser has no page")
            }
            let attached = try call("Target.attachToTarget", ["targetId": id, "flatten": true], session: .some(nil), timeout: timeout)
            session = attached["sessionId"] as? String ?? ""
            _ = try call("Page.enable")
            _ = try call("Runtime.enable")
            _ = try call("Network.enable")
        } catch {
            shutdown()
            throw error
        }
    }

    deinit { shutdown() }

    /// Closes the browser (politely, then by force) and removes its profile.
    func shutdown() {
        guard !closed else { return }
        closed = true
        _ = try? call("Browser.close", session: .some(nil), timeout: 5)
        close(toBrowser)
        var status: Int32 = 0
        var exited = false
        for _ in 0..<50 where !exited {
            exited = waitpid(pid, &status, WNOHANG) == pid
            if !exited { usleep(100_000) }
        }
        if !exited {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
        }
        close(fromBrowser)
        try? FileManager.default.removeItem(at: profile)
    }

    // MARK: - The protocol

    /// Sends a command to the page (or, with `session: nil`, to the browser) and returns its result.
    @discardableResult
    func call(_ method: String, _ params: [String: Any] = [:], session: String?? = .none, timeout: Double = 30) throws -> [String: Any] {
        nextID += 1
        let id = nextID
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        let target: String? = switch session {
        case .none: self.session
        case .some(let s): s
        }
        if let target, !target.isEmpty { message["sessionId"] = target }
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(0)
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(toBrowser, raw.baseAddress! + offset, raw.count - offset)
                guard n > 0 else { throw BrowserError(description: "\(method): the browser closed its pipe") }
                offset += n
            }
        }
        let answer = try receive(until: { ($0["id"] as? Int) == id }, timeout: timeout, waitingFor: method)
        if let error = answer["error"] as? [String: Any] {
            throw BrowserError(description: "\(method): \(error["message"] as? String ?? "\(error)")")
        }
        return answer["result"] as? [String: Any] ?? [:]
    }

    /// Reads messages until one satisfies `match`; the events read on the way are kept.
    func receive(until match: ([String: Any]) -> Bool, timeout: Double, waitingFor what: String) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            while let end = buffer.firstIndex(of: 0) {
                let chunk = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                guard let object = try JSONSerialization.jsonObject(with: chunk) as? [String: Any] else { continue }
                if match(object) { return object }
                if object["method"] != nil { events.append(object) }
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw BrowserError(description: "\(what): no answer from the browser in \(Int(timeout)) s") }
            var poller = pollfd(fd: fromBrowser, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(left, 1) * 1000))
            if ready <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = read(fromBrowser, &chunk, chunk.count)
            guard n > 0 else { throw BrowserError(description: "\(what): the browser exited") }
            buffer += chunk[0..<n]
        }
    }

    /// Waits for an event already received or still to come.
    func waitForEvent(_ method: String, timeout: Double = 30) throws {
        if let i = events.firstIndex(where: { $0["method"] as? String == method }) {
            events.remove(at: i)
            return
        }
        _ = try receive(until: { $0["method"] as? String == method }, timeout: timeout, waitingFor: method)
    }

    // MARK: - What the tests do

    /// The viewport in CSS px; `mobile` also turns on touch.
    func setViewport(width: Int, height: Int, mobile: Bool = false) throws {
        try call("Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile])
        try call("Emulation.setTouchEmulationEnabled", ["enabled": mobile, "maxTouchPoints": mobile ? 5 : 1])
    }

    /// Opens `url` and waits for its load event.
    func open(_ url: URL, fragment: String? = nil) throws {
        // From a blank page, so that a new fragment on the same file is a fresh load too.
        events.removeAll { $0["method"] as? String == "Page.loadEventFired" }
        try call("Page.navigate", ["url": "about:blank"])
        try waitForEvent("Page.loadEventFired")
        var text = url.absoluteString
        if let fragment { text += "#" + fragment }
        let result = try call("Page.navigate", ["url": text])
        if let error = result["errorText"] as? String { throw BrowserError(description: "navigate to \(text): \(error)") }
        try waitForEvent("Page.loadEventFired")
        // One animation frame, so that anything the page set up on load has been laid out.
        _ = try evaluate("new Promise(function (r) { requestAnimationFrame(function () { r(1); }); })")
    }

    /// Evaluates `expression` in the page (awaiting a promise) and returns its value.
    func evaluate(_ expression: String) throws -> Any? {
        let result = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = result["exceptionDetails"] as? [String: Any] {
            throw BrowserError(description: "script error: \(exception)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    func string(_ expression: String) throws -> String {
        try evaluate(expression) as? String ?? ""
    }

    /// `document.body.dataset[name]`.
    func bodyData(_ name: String) throws -> String {
        try string("document.body.dataset.\(name) || ''")
    }

    /// The frame the page shows (0-based), as it reports it.
    func frame() throws -> Int {
        Int(try bodyData("frame")) ?? -1
    }

    /// A real key press: keyDown (with its text for printable keys) and keyUp.
    func press(_ key: String) throws {
        let codes: [String: (String, Int)] = [
            "ArrowRight": ("ArrowRight", 39), "ArrowLeft": ("ArrowLeft", 37), "ArrowUp": ("ArrowUp", 38), "ArrowDown": ("ArrowDown", 40),
            "PageDown": ("PageDown", 34), "PageUp": ("PageUp", 33), "Home": ("Home", 36), "End": ("End", 35),
            "Enter": ("Enter", 13), "Backspace": ("Backspace", 8), "Escape": ("Escape", 27), " ": ("Space", 32),
        ]
        var down: [String: Any] = ["type": "keyDown", "key": key]
        if let (code, vk) = codes[key] {
            down["code"] = code
            down["windowsVirtualKeyCode"] = vk
            if key == " " { down["text"] = " " }
            if key == "Enter" { down["text"] = "\r" }
        } else {
            down["text"] = key
            down["unmodifiedText"] = key
            if let c = key.uppercased().unicodeScalars.first, key.count == 1 { down["windowsVirtualKeyCode"] = Int(c.value) }
        }
        try call("Input.dispatchKeyEvent", down)
        var up = down
        up["type"] = "keyUp"
        up.removeValue(forKey: "text")
        up.removeValue(forKey: "unmodifiedText")
        try call("Input.dispatchKeyEvent", up)
    }

    /// A real left click at the centre of the element `selector` finds.
    func click(_ selector: String) throws {
        let box = try string("(function(){const e=document.querySelector(\(jsString(selector)));if(!e)return '';"
                             + "const r=e.getBoundingClientRect();return (r.left+r.width/2)+','+(r.top+r.height/2);})()")
        let xy = box.split(separator: ",").compactMap { Double($0) }
        guard xy.count == 2 else { throw BrowserError(description: "nothing to click at \(selector)") }
        for type in ["mousePressed", "mouseReleased"] {
            try call("Input.dispatchMouseEvent", ["type": type, "x": xy[0], "y": xy[1], "button": "left", "clickCount": 1])
        }
    }

    /// A finger from one point to another (a tap when they are the same).
    func touch(from a: (Double, Double), to b: (Double, Double)) throws {
        try call("Input.dispatchTouchEvent", ["type": "touchStart", "touchPoints": [["x": a.0, "y": a.1]]])
        if a != b {
            for k in 1...4 {
                let t = Double(k) / 4
                try call("Input.dispatchTouchEvent", ["type": "touchMove",
                                                      "touchPoints": [["x": a.0 + (b.0 - a.0) * t, "y": a.1 + (b.1 - a.1) * t]]])
            }
        }
        try call("Input.dispatchTouchEvent", ["type": "touchEnd", "touchPoints": [[String: Any]]()])
    }

    /// The page as a PNG. With RMPVIZ_SCREENSHOTS=FOLDER the file is kept there as `name`.png.
    func screenshot(name: String) throws -> PNGImage {
        let result = try call("Page.captureScreenshot", ["format": "png"])
        guard let text = result["data"] as? String, let data = Data(base64Encoded: text) else {
            throw BrowserError(description: "no screenshot data")
        }
        if let folder = ProcessInfo.processInfo.environment["RMPVIZ_SCREENSHOTS"], !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try? data.write(to: URL(fileURLWithPath: folder).appendingPathComponent(name + ".png"))
        }
        return try PNGImage(data: data)
    }

    /// Script exceptions and console errors the page raised so far.
    var pageErrors: [String] {
        events.compactMap { e in
            switch e["method"] as? String {
            case "Runtime.exceptionThrown":
                let details = (e["params"] as? [String: Any])?["exceptionDetails"] as? [String: Any]
                return "exception: \(details?["text"] as? String ?? "") \((details?["exception"] as? [String: Any])?["description"] as? String ?? "")"
            case "Runtime.consoleAPICalled":
                let p = e["params"] as? [String: Any]
                guard p?["type"] as? String == "error" else { return nil }
                return "console.error: \(p?["args"] ?? "")"
            default: return nil
            }
        }
    }

    /// Every URL the page asked the network for.
    var requestedURLs: [String] {
        events.compactMap { e in
            guard e["method"] as? String == "Network.requestWillBeSent" else { return nil }
            return ((e["params"] as? [String: Any])?["request"] as? [String: Any])?["url"] as? String
        }
    }
}

/// `text` as a JavaScript string literal.
func jsString(_ text: String) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
    return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
}
