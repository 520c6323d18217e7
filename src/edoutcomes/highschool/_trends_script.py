"""
The trends page's style sheet and script, inline in the page (its content-security policy
allows exactly these two, by hash, and nothing from the network).

The script draws the same chart and table as :mod:`._trends_render` (from the layout and the
words the page embeds) for whatever the reader picks; it computes nothing: every number and
every text it shows is one the page embeds, taken from the published reports.
"""

__all__ = ["SCRIPT", "STYLE"]

STYLE = """
*{box-sizing:border-box}
body{font-family:Arial,Helvetica,sans-serif;color:#222;background:#fff;margin:0 auto;
padding:16px 20px;max-width:1000px;line-height:1.4}
h1{font-size:26px;margin:0 0 6px}
.lede{margin:0 0 14px;font-size:15px}
.filters{display:flex;flex-wrap:wrap;gap:10px 22px;padding:10px 12px;background:#f3f5f8;
border:1px solid #d5dbe3;border-radius:6px}
.filters[hidden]{display:none}
.filters label{font-size:15px;font-weight:bold;display:flex;align-items:center;gap:8px;
max-width:100%}
.filters select{font-size:15px;padding:3px 4px;max-width:100%;min-width:0}
.showing{font-size:15px;margin:12px 0 4px}
.kpi{margin:18px 0 34px}
.chart svg{display:block;width:100%;max-width:860px;height:auto}
.save{margin:4px 0 10px;font-size:14px}
.save a,.save button{margin-right:14px;font-size:14px}
table{border-collapse:collapse;width:100%;font-size:14px}
caption{text-align:left;font-weight:bold;padding:4px 0}
th,td{padding:4px 6px;border-bottom:1px solid #ddd;text-align:right;vertical-align:bottom}
thead th{background:#f3f5f8;font-size:13px}
tbody th{text-align:left}
.notes{font-size:14px;border-top:1px solid #ccc;margin-top:20px}
.notes h2{font-size:18px}
"""

SCRIPT = """
(() => {
  "use strict";
  const D = JSON.parse(document.getElementById("trends-data").textContent);
  const L = D.layout;
  const NS = "http://www.w3.org/2000/svg";
  const at = Object.fromEntries(D.columns.map((c, i) => [c, i]));
  const $ = (id) => document.getElementById(id);
  const f1 = (x) => x.toFixed(1);

  function make(doc, tag, attrs, text) {
    const e = doc === NS ? document.createElementNS(NS, tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }
  const svg = (tag, attrs, text) => make(NS, tag, attrs, text);
  const el = (tag, attrs, text) => make(null, tag, attrs, text);
  const cell = (row, column) => row[1][at[column]];
  const fraction = (v) => (/^[0-9]+([.][0-9]+)?$/.test(v) ? Number(v) : null);

  function geometry(spec) {
    const top = L.legend_top + L.legend_step * spec.measures.length + L.headroom;
    const bottom = top + L.plot_height;
    return [top, bottom, bottom + L.bottom];
  }

  function label(cx, y, wide, text, data) {
    const a = Object.assign({class: "bar-label"}, data, {"font-size": 12});
    if (wide) {
      return svg("text", Object.assign(a, {x: f1(cx), y: f1(y), "text-anchor": "middle"}), text);
    }
    const x = cx + 4;
    const turn = `rotate(-90 ${f1(x)} ${f1(y)})`;
    return svg("text", Object.assign(a, {x: f1(x), y: f1(y), "text-anchor": "start",
                                         transform: turn}), text);
  }

  function frame(spec, subtitle, years) {
    const [top, bottom, height] = geometry(spec);
    const root = svg("svg", {xmlns: NS, class: "kpi-chart", "data-chart": spec.name,
      viewBox: `0 0 ${L.width} ${height}`, width: L.width, height: height,
      "font-family": L.font, role: "img"});
    const add = (e) => root.appendChild(e);
    add(svg("title", {}, `${spec.title}: ${subtitle}`));
    add(svg("rect", {width: L.width, height: height, fill: "#ffffff"}));
    add(svg("text", {x: L.left, y: 24, "font-size": 17, "font-weight": "bold", fill: "#222"},
            spec.title));
    add(svg("text", {x: L.left, y: 46, "font-size": 13, fill: "#444"}, subtitle));
    spec.measures.forEach((m, s) => {
      const y = L.legend_top + L.legend_step * s;
      add(svg("rect", {x: L.left, y: y - 11, width: 13, height: 13, fill: L.colours[s]}));
      add(svg("text", {x: L.left + 20, y: y, "font-size": 13, fill: "#222"}, m.label));
    });
    for (let tick = 0; tick <= 100; tick += 20) {
      const y = bottom - (bottom - top) * tick / 100;
      add(svg("line", {x1: L.left, x2: L.width - L.right, y1: f1(y), y2: f1(y),
                       stroke: tick === 0 ? "#888" : "#ddd"}));
      add(svg("text", {x: L.left - 8, y: f1(y + 4), "font-size": 12, "text-anchor": "end",
                       fill: "#222"}, `${tick}%`));
    }
    const step = (L.width - L.left - L.right) / Math.max(years.length, 1);
    years.forEach((year, i) => add(svg("text", {x: f1(L.left + step * (i + 0.5)),
      y: bottom + 20, "font-size": 13, "text-anchor": "middle", fill: "#222"}, String(year))));
    const middle = f1((top + bottom) / 2);
    add(svg("text", {x: 18, y: middle, "font-size": 13, "text-anchor": "middle", fill: "#222",
                     transform: `rotate(-90 18 ${middle})`}, spec.axis));
    add(svg("text", {x: f1((L.left + L.width - L.right) / 2), y: bottom + 46, "font-size": 13,
                     "text-anchor": "middle", fill: "#222"},
            "Class of (year of high-school graduation)"));
    return root;
  }

  function chart(spec, subtitle, rows) {
    const [top, bottom] = geometry(spec);
    const root = frame(spec, subtitle, rows.map((r) => r[0]));
    const step = (L.width - L.left - L.right) / Math.max(rows.length, 1);
    const n = spec.measures.length;
    const bar = Math.min(step * 0.72 / n, L.max_bar);
    const wide = bar >= L.wide_bar;
    rows.forEach((row, i) => {
      const year = row[0];
      const start = L.left + step * i + (step - bar * n) / 2;
      spec.measures.forEach((m, s) => {
        const [value, text] = cell(row, m.rate);
        const x = start + bar * s;
        const cx = start + bar * (s + 0.5);
        const data = {"data-column": m.rate, "data-class-year": year, "data-value": value};
        const f = fraction(value);
        if (f === null) {
          root.appendChild(label(cx, bottom - 5, wide, text, data));
          return;
        }
        const y = bottom - (bottom - top) * f;
        const rect = svg("rect", Object.assign({class: "bar"}, data, {x: f1(x + 1), y: f1(y),
          width: f1(bar - 2), height: f1(bottom - y), fill: L.colours[s]}));
        const count = cell(row, m.count)[1];
        rect.appendChild(svg("title", {}, `${m.label}, class of ${year}: ${text} (${count} students)`));
        root.appendChild(rect);
        root.appendChild(label(cx, y - 5, wide, text, data));
      });
    });
    return root;
  }

  function table(spec, caption, rows) {
    const t = el("table", {class: "kpi-table", "data-chart": spec.name});
    t.appendChild(el("caption", {}, caption));
    const head = t.appendChild(el("thead"));
    const r1 = head.appendChild(el("tr"));
    r1.appendChild(el("th", {rowspan: 2, scope: "col"}, "Class of"));
    r1.appendChild(el("th", {rowspan: 2, scope: "col"}, spec.denominator_label));
    const r2 = head.appendChild(el("tr"));
    for (const m of spec.measures) {
      r1.appendChild(el("th", {colspan: 2, scope: "colgroup"}, m.label));
      r2.appendChild(el("th", {}, "Students"));
      r2.appendChild(el("th", {}, "Percent"));
    }
    const body = t.appendChild(el("tbody"));
    for (const row of rows) {
      const tr = body.appendChild(el("tr", {"data-class-year": row[0]}));
      tr.appendChild(el("th", {scope: "row"}, String(row[0])));
      const columns = [spec.denominator];
      for (const m of spec.measures) columns.push(m.count, m.rate);
      for (const c of columns) {
        const [value, text] = cell(row, c);
        tr.appendChild(el("td", {"data-column": c, "data-value": value}, text));
      }
    }
    return t;
  }

  function download(href, name) {
    const a = el("a", {href: href, download: name});
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function savePng(text, stem, button) {
    const img = new Image();
    const refuse = () => {
      button.disabled = true;
      button.textContent = "PNG not available in this browser: save as SVG";
    };
    img.onerror = refuse;
    img.onload = () => {
      const canvas = el("canvas", {width: img.naturalWidth * 2, height: img.naturalHeight * 2});
      const g = canvas.getContext("2d");
      let url = null;
      try {
        g.scale(2, 2);
        g.drawImage(img, 0, 0);
        url = canvas.toDataURL("image/png");
      } catch (e) {
        url = null;
      }
      if (url === null || !url.startsWith("data:image/png")) {
        refuse();
        return;
      }
      download(url, `${stem}.png`);
    };
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  }

  function section(spec, subtitle, rows, stem) {
    const s = el("section", {class: "kpi", "data-chart": spec.name});
    const picture = chart(spec, subtitle, rows);
    s.appendChild(el("div", {class: "chart"})).appendChild(picture);
    const text = new XMLSerializer().serializeToString(picture);
    const save = s.appendChild(el("p", {class: "save"}));
    save.appendChild(el("a", {class: "save-svg", download: `${stem}.svg`,
      href: "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text)}, "Save chart as SVG"));
    save.appendChild(document.createTextNode(" "));
    const png = save.appendChild(el("button", {type: "button", class: "save-png"},
                                    "Save chart as PNG"));
    png.addEventListener("click", () => savePng(text, stem, png));
    s.appendChild(table(spec, subtitle, rows));
    return s;
  }

  function render() {
    const school = $("f-school").value;
    const year = $("f-year").value;
    const group = Number($("f-group").value);
    const all = D.tables[group][school] || [];
    const rows = year === "" ? all : all.filter((r) => String(r[0]) === year);
    const who = group === 0 ? "all students" : D.groups[group];
    const subtitle = `${D.schools[school]}, ${who}` + (year ? `, class of ${year}` : "");
    const suffix = (year ? `-${year}` : "") + (group ? `-group${group}` : "");
    const view = $("view");
    view.replaceChildren(...D.charts.map((spec) => section(spec, subtitle, rows,
      `${spec.name}-${school}${suffix}`)));
    $("showing").textContent = `Showing: ${D.schools[school]}, `
      + (year ? `class of ${year}` : "all class years") + `, ${who}.`;
    document.body.dataset.rendered = `${school}|${year}|${group}`;
  }

  for (const id of ["f-school", "f-year", "f-group"]) $(id).addEventListener("change", render);
  $("filters").hidden = false;
  render();
})();
"""
