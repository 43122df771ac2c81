import Export
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Screen
import StepEngine
import Testing
import Viewer

/// Parses `text` as XML and returns the error, or nil when it is well-formed. Also collects the
/// character data, so tests can look at the text as a reader of the document sees it.
final class XMLCheck: NSObject, XMLParserDelegate {
    var characters = ""
    var elements: [String: Int] = [:]

    func parser(_ parser: XMLParser, foundCharacters string: String) { characters += string }
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements[name, default: 0] += 1
    }

    static func parse(_ text: String) -> (error: String?, check: XMLCheck) {
        let check = XMLCheck()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = check
        let ok = parser.parse()
        return (ok ? nil : String(describing: parser.parserError), check)
    }
}

@Suite("svg export")
struct SVGTests {
    func lastFrame(_ traces: [Trace], variant: Int = 0, width: Int = 160, height: Int = 45) -> Grid? {
        guard var state = ViewerState(traces: traces, variant: variant, width: width, height: height) else { return nil }
        state.jump(to: state.trace.actionCount - 1)
        return state.render()
    }

    @Test("the svg is well-formed XML with the four tables, in fixed-size cells")
    func wellFormed() throws {
        let grid = try #require(lastFrame(builtinTraces("ghcb-upm")))
        let svg = SVGExport.document(grid, theme: darkTheme, title: "ghcb-upm & <friends>")
        let (error, check) = XMLCheck.parse(svg)
        #expect(error == nil)
        for title in ["RMP table", "host direct map", "shared fd", "private fd"] {
            #expect(check.characters.contains(title), "no \(title)")
        }
        #expect(check.characters.contains("ghcb-upm & <friends>"))
        #expect(check.elements["svg"] == 1)
        #expect((check.elements["text"] ?? 0) > 45)
        #expect(svg.contains("width=\"1344\" height=\"765\""))
        #expect(svg.contains("xml:space=\"preserve\""))
        #expect(svg.contains("fill=\"\(darkTheme.background.hex)\""))
        #expect(svg.contains("font-weight=\"bold\""))
        // Every run starts on a column boundary: x is a whole number of 8.4 px cells.
        for match in svg.split(separator: "<text x=\"").dropFirst() {
            let x = Double(match.prefix { $0 != "\"" }) ?? -1
            let column = (x / 8.4).rounded()
            #expect(abs(column * 8.4 - x) < 0.001, "x=\(x) is not on a column")
        }
    }

    @Test("markup in scene text is escaped, never raw")
    func escapesSceneText() throws {
        let grid = try #require(lastFrame(sceneTraces(hostileScene), width: 120, height: 40))
        let svg = SVGExport.document(grid, theme: darkTheme, title: "t")
        let (error, check) = XMLCheck.parse(svg)
        #expect(error == nil)
        #expect(check.characters.contains("<script>alert("))
        #expect(!svg.contains("<script"))
        #expect(svg.contains("&lt;script&gt;alert("))
        #expect(!svg.contains("<b>"))
        #expect(check.elements["script"] == nil)
        // Every & in the document starts an entity.
        for part in svg.split(separator: "&", omittingEmptySubsequences: false).dropFirst() {
            #expect(["amp;", "lt;", "gt;", "quot;", "#39;"].contains { part.hasPrefix($0) })
        }
    }
}
