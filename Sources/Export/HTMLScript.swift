// The HTML export's script. It holds no stepping rules: every move is a lookup in the navigation
// table Swift wrote into the page (`HTMLNavigation`), keys are a lookup in the key map from
// `KeyMap`. What is left is the page's own business: showing a frame, the buttons, touch gestures,
// `#frame=N` links, and fitting the frame to the window.
extension HTMLExport {
    /// Expects `<script type="application/json">` elements `nav` (HTMLNavigation.json) and `keymap`
    /// (KeyboardEvent.key → a move of the table, "digit" or "enter").
    ///
    /// It reports what it did on `<body>` for tests and for anyone curious: `data-frame` (the frame
    /// shown, 0-based), `data-viewport` (the window's CSS size), `data-fit` (the shown frame's box:
    /// left, top, width, height, in CSS px), `data-scroll-width` (the page's scrollable width),
    /// `data-scale` and `data-line-height` (px, before scaling).
    static let script = #"""
        (function () {
          "use strict";
          const D = JSON.parse(document.getElementById("nav").textContent);
          const K = JSON.parse(document.getElementById("keymap").textContent);
          const F = D.frames;
          const body = document.body, root = document.documentElement;
          const screen = document.getElementById("screen"), bar = document.getElementById("bar");
          const count = document.getElementById("count"), where = document.getElementById("where");
          const vsel = document.getElementById("variant"), ssel = document.getElementById("scene");
          const buttons = Array.prototype.slice.call(document.querySelectorAll("#bar button[data-move]"));
          let cur = D.start, typed = "", vscene = -1;

          function el(i) { return document.getElementById("f" + i); }

          // Line height. Rows must touch: a span's background covers the font's content area, and
          // block and box glyphs (█ │) their own height; the line is a little less than the smaller
          // of the two, so that rows overlap by about a device pixel instead of leaving seams.
          let baseLine = 0;
          function measureLines() {
            const pre = document.querySelector("pre.f");
            if (!pre) return;
            const probe = document.createElement("pre"), span = document.createElement("span");
            probe.className = "f";
            probe.style.cssText = "position:absolute;left:0;top:0;visibility:hidden;zoom:1;transform:none;width:auto";
            span.textContent = "\u2588\u2502";
            probe.appendChild(span);
            document.body.appendChild(probe);
            const area = span.getBoundingClientRect().height;
            const cs = getComputedStyle(probe), font = cs.fontSize + " " + cs.fontFamily, size = parseFloat(cs.fontSize) || 16;
            document.body.removeChild(probe);
            let glyph = 0;
            const ctx = document.createElement("canvas").getContext("2d");
            if (ctx) {
              ctx.font = font;
              const m = ctx.measureText("\u2588\u2502");
              glyph = (m.actualBoundingBoxAscent || 0) + (m.actualBoundingBoxDescent || 0);
            }
            const lh = glyph > 0 && area > 0 ? Math.min(glyph, area) : (glyph || area);
            if (lh > size * 0.8 && lh < size * 2) baseLine = lh;
          }

          function setLine(scale) {
            if (!baseLine) return;
            // About one device pixel of overlap, at most 8 % of a row.
            const lh = Math.round((baseLine - Math.min(baseLine * 0.08, Math.max(baseLine * 0.03, 1 / scale))) * 100) / 100;
            root.style.setProperty("--lh", lh + "px");
            body.dataset.lineHeight = String(lh);
          }

          // The frame fits the window: the whole width (no sideways scrolling) and the height left
          // under the controls. `zoom` scales the layout itself, so backgrounds stay on whole pixels
          // and rows do not show seams; a browser without it gets a transform.
          const zoom = !!(window.CSS && CSS.supports && CSS.supports("zoom", "0.5"));
          function fit() {
            const e = el(cur);
            if (!e || e.tagName !== "PRE") {
              screen.style.width = ""; screen.style.height = "";
              report(e);
              return;
            }
            screen.style.setProperty("--z", "1");
            screen.style.setProperty("--s", "1");
            setLine(1);
            const availW = Math.max(40, root.clientWidth - 16);
            const availH = Math.max(40, window.innerHeight - bar.getBoundingClientRect().bottom - 12);
            let w = e.offsetWidth, h = e.offsetHeight, s = Math.min(availW / w, availH / h);
            setLine(s);
            h = e.offsetHeight;
            s = Math.min(availW / w, availH / h);
            if (zoom) {
              screen.style.setProperty("--z", String(s));
              screen.style.width = ""; screen.style.height = "";
            } else {
              screen.style.setProperty("--s", String(s));
              screen.style.cssText += ";display:block;overflow:hidden;margin:0 auto;padding:0";
              screen.style.width = (w * s) + "px";
              screen.style.height = (h * s) + "px";
            }
            body.dataset.scale = String(s);
            report(e);
          }

          function report(e) {
            body.dataset.viewport = root.clientWidth + "x" + window.innerHeight;
            body.dataset.scrollWidth = String(root.scrollWidth);
            if (e) {
              const r = e.getBoundingClientRect();
              body.dataset.fit = [r.left, r.top, r.width, r.height].map(function (x) { return x.toFixed(2); }).join(",");
            }
          }

          function caption() {
            const f = F[cur];
            where.textContent = f.t + (typed ? " · go to step " + typed + " (Enter)" : "");
          }

          function show(i) {
            if (typeof i !== "number" || !F[i]) return;
            if (i !== cur) {
              const old = el(cur), e = el(i);
              if (!e) return;
              if (old) old.hidden = true;
              e.hidden = false;
              cur = i;
            }
            const f = F[cur];
            buttons.forEach(function (b) { b.disabled = typeof f[b.dataset.move] !== "number"; });
            count.textContent = (cur + 1) + "/" + F.length;
            caption();
            if (f.vs && typeof f.s === "number") {
              if (vscene !== f.s) {
                vsel.textContent = "";
                D.scenes[f.s].runs.forEach(function (r) {
                  const o = document.createElement("option");
                  o.textContent = "variant " + D.runs[r].name;
                  vsel.appendChild(o);
                });
                vscene = f.s;
              }
              vsel.selectedIndex = D.scenes[f.s].runs.indexOf(f.r);
              vsel.hidden = false;
            } else {
              vsel.hidden = true;
            }
            if (ssel) ssel.value = String(typeof f.s === "number" ? D.scenes[f.s].e : 0);
            body.dataset.frame = String(cur);
            fit();
            try { history.replaceState(null, "", "#frame=" + (cur + 1)); } catch (err) { /* some file: URLs refuse */ }
          }

          function go(i) { if (typeof i === "number") show(i); else caption(); }
          function move(m) { go(F[cur][m]); }

          document.addEventListener("keydown", function (e) {
            if (e.ctrlKey || e.metaKey || e.altKey) return;
            const t = e.target, tag = t && t.tagName;
            if (tag === "SELECT" || tag === "INPUT" || tag === "TEXTAREA") return;
            if ((tag === "BUTTON" || tag === "SUMMARY") && (e.key === "Enter" || e.key === " ")) return;
            const m = K[e.key];
            if (!m) return;
            e.preventDefault();
            if (m === "digit") { if (typed.length < 6) typed += e.key; caption(); return; }
            const n = typed;
            typed = "";
            if (m === "enter") {
              const f = F[cur], r = typeof f.r === "number" ? D.runs[f.r] : null;
              go(n && r ? r.steps[parseInt(n, 10) - 1] : undefined);
              return;
            }
            move(m);
          });

          buttons.forEach(function (b) {
            b.addEventListener("click", function () { move(b.dataset.move); b.blur(); });
          });
          Array.prototype.forEach.call(document.querySelectorAll("button[data-to]"), function (b) {
            b.addEventListener("click", function () { go(parseInt(b.dataset.to, 10)); });
          });
          vsel.addEventListener("change", function () {
            const f = F[cur];
            if (f.vs) go(f.vs[vsel.selectedIndex]);
            vsel.blur();
          });
          if (ssel) ssel.addEventListener("change", function () { go(parseInt(ssel.value, 10)); ssel.blur(); });

          // Touch: a swipe left or a tap on the right half moves on, a swipe right or a tap on the
          // left half moves back. Mouse clicks are left alone (to select text).
          let touch = null;
          screen.addEventListener("pointerdown", function (e) {
            touch = e.pointerType === "touch" && !(e.target.closest && e.target.closest("button")) ? { x: e.clientX, y: e.clientY } : null;
          });
          screen.addEventListener("pointercancel", function () { touch = null; });
          screen.addEventListener("pointerup", function (e) {
            if (!touch || e.pointerType !== "touch") return;
            const dx = e.clientX - touch.x, dy = e.clientY - touch.y;
            touch = null;
            if (Math.abs(dx) >= 40 && Math.abs(dx) > 1.5 * Math.abs(dy)) {
              move(dx < 0 ? "n" : "p");
            } else if (Math.abs(dx) < 12 && Math.abs(dy) < 12) {
              const r = screen.getBoundingClientRect();
              move(e.clientX >= r.left + r.width / 2 ? "n" : "p");
            }
          });

          // #frame=N (1-based, as the counter shows it) opens frame N.
          function fromHash() {
            const h = /^#frame=(\d+)$/.exec(location.hash);
            const i = h ? parseInt(h[1], 10) - 1 : -1;
            return F[i] ? i : -1;
          }
          window.addEventListener("hashchange", function () { const i = fromHash(); if (i >= 0) show(i); });
          window.addEventListener("resize", fit);

          measureLines();
          const start = fromHash();
          show(start >= 0 ? start : D.start);
          if (document.fonts && document.fonts.ready) document.fonts.ready.then(function () { measureLines(); fit(); });
        })();

        """#
}
