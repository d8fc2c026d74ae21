// The pictures of "My network": Chart.js charts and a cytoscape.js map, drawn from the JSON that
// the page carries in <script type="application/json" id="network-dashboard-data"> (json_script).
// Every picture has a table of the same numbers in a <details> beside it, so nothing depends on
// this file. No inline script or style: the page's CSP allows only 'self'.
(() => {
  "use strict";
  const source = document.getElementById("network-dashboard-data");
  if (!source) return;
  const data = JSON.parse(source.textContent);
  const strings = data.strings || {};
  const lang = document.documentElement.lang || "en";
  const reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const root = getComputedStyle(document.documentElement);
  const cssVar = (name, fallback) => (root.getPropertyValue(name) || "").trim() || fallback;
  const ink = cssVar("--ink", "#1d2433");
  const muted = cssVar("--muted", "#5b6478");
  const line = cssVar("--line", "#d9dde6");
  const accent = cssVar("--accent", "#1f6f5c");
  // Colour-blind-safe palette (Okabe–Ito, darkened for contrast on white), then greys.
  const palette = ["#1f6f5c", "#b35c00", "#0f5e9c", "#a4267d", "#6b7d00", "#8a5a00", "#4b4fa6", "#a4262c",
    "#2f7f8f", "#6d4c41", "#5b6478"];
  const number = new Intl.NumberFormat(lang);
  const format = (template, values) => template.replace(/%\((\w+)\)s/g, (_m, key) => values[key]);
  const isoDate = (iso) => {
    const [y, m, d] = iso.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d));
  };
  const dayFormat = new Intl.DateTimeFormat(lang, { day: "numeric", month: "short", timeZone: "UTC" });
  const longDayFormat = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" });
  const monthFormat = new Intl.DateTimeFormat(lang, { month: "short", year: "2-digit", timeZone: "UTC" });

  function drawCharts(Chart) {
    Chart.defaults.locale = lang;
    Chart.defaults.color = ink;
    Chart.defaults.borderColor = line;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily || "system-ui, sans-serif";
    Chart.defaults.maintainAspectRatio = false;
    if (reducedMotion) Chart.defaults.animation = false;
    const integerTicks = { precision: 0, color: muted };

    function chart(id, config) {
      const canvas = document.getElementById(id);
      if (canvas) new Chart(canvas, config);
    }

    const perWeek = data.per_week;
    if (perWeek) {
      chart("chart-per-week", {
        type: "bar",
        data: {
          labels: perWeek.weeks.map((iso) => dayFormat.format(isoDate(iso))),
          datasets: [{ label: strings.interactions, data: perWeek.counts, backgroundColor: accent }],
        },
        options: {
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                title: (items) => format(strings.week_of, { date: longDayFormat.format(isoDate(perWeek.weeks[items[0].dataIndex])) }),
              },
            },
          },
          scales: { y: { beginAtZero: true, ticks: integerTicks }, x: { ticks: { color: muted, maxRotation: 0, autoSkip: true } } },
        },
      });
    }

    const help = data.help;
    if (help) {
      chart("chart-help", {
        type: "bar",
        data: {
          labels: help.months.map((iso) => monthFormat.format(isoDate(iso))),
          datasets: [
            { label: strings.given, data: help.given, backgroundColor: palette[0] },
            { label: strings.received, data: help.received, backgroundColor: palette[1] },
          ],
        },
        options: { scales: { y: { beginAtZero: true, ticks: integerTicks }, x: { ticks: { color: muted } } } },
      });
    }

    function breakdown(id, block) {
      if (!block) return;
      const items = Array.isArray(block) ? block : block.items || [];
      if (!items.length) return;
      const labels = items.map((item) => item.label);
      const counts = items.map((item) => item.count);
      if (block.other) {
        labels.push(strings.other);
        counts.push(block.other);
      }
      chart(id, {
        type: "bar",
        data: {
          labels,
          datasets: [{
            label: strings.contacts,
            data: counts,
            backgroundColor: labels.map((_l, i) => (block.other && i === labels.length - 1 ? "#aab1c0" : palette[i % palette.length])),
          }],
        },
        options: {
          indexAxis: "y",
          plugins: { legend: { display: false } },
          scales: {
            x: { beginAtZero: true, ticks: integerTicks },
            y: {
              ticks: {
                color: ink,
                autoSkip: false,
                // Long names are shortened on the axis; the tooltip and the table keep them whole.
                callback(value) {
                  const text = String(this.getLabelForValue(value));
                  return text.length > 24 ? `${text.slice(0, 23)}…` : text;
                },
              },
            },
          },
        },
      });
    }
    breakdown("chart-by-circle", data.by_circle);
    breakdown("chart-by-label", data.by_label);
    breakdown("chart-by-city", data.by_city);
    breakdown("chart-by-sector", data.by_sector);
  }

  // A deterministic layout, instant even with hundreds of contacts: each group a disc (its most
  // connected people at the centre, the others on a sunflower spiral), the discs packed in rows
  // that fill the container's shape. Lines then show who met whom, inside and across groups.
  function placeInGroups(map, aspect) {
    const spacing = 28;
    const gap = 80; // room for each box's padding and title
    const degree = new Map();
    for (const edge of map.edges) {
      degree.set(edge.source, (degree.get(edge.source) || 0) + edge.weight);
      degree.set(edge.target, (degree.get(edge.target) || 0) + edge.weight);
    }
    const members = new Map(map.groups.map((group) => [group, []]));
    for (const node of map.nodes) members.get(node.group).push(node);
    const discs = [...members.values()]
      .filter((list) => list.length)
      .map((list) => {
        list.sort((a, b) => (degree.get(b.id) || 0) - (degree.get(a.id) || 0));
        return { list, size: 2 * spacing * Math.sqrt(list.length) + spacing + gap };
      })
      .sort((a, b) => b.size - a.size);
    const area = discs.reduce((sum, disc) => sum + disc.size * disc.size, 0);
    const rowWidth = Math.max(discs[0].size, Math.sqrt(area * aspect));
    const positions = new Map();
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    for (const disc of discs) {
      if (x > 0 && x + disc.size > rowWidth) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      const cx = x + disc.size / 2;
      const cy = y + disc.size / 2;
      disc.list.forEach((node, i) => {
        const radius = spacing * Math.sqrt(i);
        const angle = i * 2.399963; // the golden angle
        positions.set(node.id, { x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle) });
      });
      x += disc.size;
      rowHeight = Math.max(rowHeight, disc.size);
    }
    return positions;
  }

  function drawMap(cytoscape) {
    const container = document.getElementById("network-map");
    const map = data.map;
    if (!container || !map || !map.nodes.length) return;
    // cytoscape.js prepends a <style> element to <head> unless an element with this id exists: the
    // CSP would block it (and log a violation). Its one rule, position: relative on the container,
    // is in cercle.css (.network-map), so a marker is enough.
    const marker = "__________cytoscape_stylesheet";
    if (!document.getElementById(marker)) {
      const meta = document.createElement("meta");
      meta.id = marker;
      document.head.appendChild(meta);
    }
    const groupColour = new Map(map.groups.map((group, i) => [group, palette[i % palette.length]]));
    const groupId = new Map(map.groups.map((group, i) => [group, `g${i}`]));
    const positions = placeInGroups(map, container.clientWidth / Math.max(container.clientHeight, 1));
    const elements = [];
    for (const group of map.groups) {
      elements.push({ group: "nodes", data: { id: groupId.get(group), label: group }, classes: "group" });
    }
    for (const node of map.nodes) {
      elements.push({
        group: "nodes",
        data: {
          id: `c${node.id}`,
          label: node.name,
          parent: groupId.get(node.group),
          colour: groupColour.get(node.group),
          url: node.url,
        },
        position: positions.get(node.id),
      });
    }
    map.edges.forEach((edge, i) => {
      elements.push({
        group: "edges",
        data: { id: `e${i}`, source: `c${edge.source}`, target: `c${edge.target}`, weight: edge.weight },
      });
    });
    const maxWeight = Math.max(1, ...map.edges.map((edge) => edge.weight));
    const cy = cytoscape({
      container,
      elements,
      minZoom: 0.1,
      maxZoom: 4,
      style: [
        {
          selector: "node",
          style: {
            "background-color": "data(colour)",
            label: "data(label)",
            "font-size": 9,
            color: ink,
            "text-valign": "bottom",
            "text-margin-y": 2,
            "min-zoomed-font-size": 7,
            width: 12,
            height: 12,
          },
        },
        {
          selector: "node.group",
          style: {
            "background-color": "#f4f6f9",
            "background-opacity": 0.7,
            "border-color": line,
            "border-width": 1,
            label: "data(label)",
            "font-size": 13,
            "font-weight": "bold",
            "text-valign": "top",
            "text-halign": "center",
            "text-margin-y": 20, // inside the box, where the fitted view never cuts it
            "min-zoomed-font-size": 0,
            shape: "round-rectangle",
            padding: 22,
          },
        },
        {
          selector: "edge",
          style: {
            width: maxWeight > 1 ? `mapData(weight, 1, ${maxWeight}, 0.5, 4)` : 1,
            "line-color": "#9aa3b5",
            opacity: 0.55,
            "curve-style": "haystack",
          },
        },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#f0b429" } },
      ],
      layout: { name: "preset", fit: true, padding: 32 },
    });
    cy.on("tap", "node", (event) => {
      const url = event.target.data("url");
      if (url) window.location.assign(url);
    });
    cy.on("mouseover", "node", (event) => {
      container.title = event.target.data("url") ? event.target.data("label") : "";
    });
    cy.on("mouseover", "edge", (event) => {
      container.title = format(strings.shared, { n: number.format(event.target.data("weight")) });
    });
  }

  function start() {
    if (window.Chart) drawCharts(window.Chart);
    if (window.cytoscape) drawMap(window.cytoscape);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
