// The HTML export's stepping script. It mirrors the viewer's reducer for the moves a page can make
// (Reducer.swift): next/previous action, next/previous step (back to the step's start first),
// first/last, a variant switch that keeps the step and the offset in it, and "N Enter".
extension HTMLExport {
    /// Expects `D` (scenes → variants → {n name, c actions, sn steps, r steps run, b step starts,
    /// st step of each action}) and `K` (key name → move) defined before it.
    static let script = #"""
        (function () {
          "use strict";
          const pres = document.querySelectorAll("pre.f");
          let k = 0;
          const F = D.map(s => s.v.map(v => { const a = []; for (let i = 0; i < v.c; i++) a.push(pres[k++]); return a; }));
          const where = document.getElementById("where");
          let sc = 0, va = D.length ? D[0].f : 0, ac = 0, shown = pres[0] || null, typed = "";

          function run() { return D[sc].v[va]; }
          function stepOf(a) { return run().st[a] || 0; }
          function stepEnd(v, s) { return s + 1 < v.b.length ? Math.max(v.b[s], v.b[s + 1]) : v.c; }

          function show() {
            const el = F[sc] && F[sc][va] ? F[sc][va][ac] : null;
            if (!el) return;
            if (shown && shown !== el) shown.hidden = true;
            el.hidden = false;
            shown = el;
            const v = run();
            const parts = [];
            if (D.length > 1) parts.push("scene " + (sc + 1) + "/" + D.length + " " + D[sc].t);
            if (D[sc].v.length > 1) parts.push("variant " + (va + 1) + "/" + D[sc].v.length + " " + v.n);
            parts.push("step " + (stepOf(ac) + 1) + "/" + v.sn, "action " + (ac + 1) + "/" + v.c);
            if (typed) parts.push("go to step: " + typed + " (Enter)");
            where.textContent = parts.join(" · ");
            try { history.replaceState(null, "", "#" + sc + "-" + va + "-" + ac); } catch (e) { /* file: URLs may refuse */ }
          }

          function openScene(s, atEnd) {
            if (s < 0 || s >= D.length) return false;
            sc = s; va = D[s].f; ac = atEnd ? Math.max(0, run().c - 1) : 0;
            return true;
          }

          function goToStep(s) {
            const v = run();
            if (s < 0 || s >= v.sn) return;
            ac = s < v.r && v.b[s] < v.c ? v.b[s] : Math.max(0, v.c - 1);
          }

          function switchVariant(d) {
            const n = D[sc].v.length;
            if (n < 2) return;
            const s = stepOf(ac), offset = ac - run().b[s];
            va = (va + d + n) % n;
            const v = run(), end = stepEnd(v, s);
            ac = s < v.r && v.b[s] < end ? Math.min(v.b[s] + Math.max(0, offset), end - 1) : Math.max(0, v.c - 1);
          }

          const moves = {
            next() { if (ac + 1 < run().c) ac++; else openScene(sc + 1, false); },
            previous() { if (ac > 0) ac--; else openScene(sc - 1, true); },
            nextStep() {
              const s = stepOf(ac), v = run();
              if (s + 1 >= v.sn) { openScene(sc + 1, false); return; }
              goToStep(s + 1);
            },
            previousStep() {
              const s = stepOf(ac), start = run().b[s];
              const target = ac > start ? s : s - 1;
              if (target < 0) { openScene(sc - 1, true); return; }
              goToStep(target);
            },
            first() { ac = 0; },
            last() { ac = Math.max(0, run().c - 1); },
            nextVariant() { switchVariant(1); },
            previousVariant() { switchVariant(-1); },
            nextScene() { openScene(sc + 1, false); },
            previousScene() { openScene(sc - 1, false); },
          };

          document.addEventListener("keydown", function (e) {
            if (e.ctrlKey || e.metaKey || e.altKey) return;
            const m = K[e.key];
            if (!m) return;
            e.preventDefault();
            if (m === "digit") { if (typed.length < 6) typed += e.key; show(); return; }
            const n = typed;
            typed = "";
            if (m === "enter") { if (n) goToStep(parseInt(n, 10) - 1); }
            else if (moves[m]) moves[m]();
            show();
          });

          const h = /^#(\d+)-(\d+)-(\d+)$/.exec(location.hash);
          if (h) {
            const s = +h[1], v = +h[2], a = +h[3];
            if (F[s] && F[s][v] && F[s][v][a]) { sc = s; va = v; ac = a; }
          } else if (D.length) {
            va = D[0].f;
          }
          show();
        })();

        """#
}
