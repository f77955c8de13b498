// The case statistics page's charts with uPlot's bar paths: cases reported and closed per group, and the on-time and
// rework rates per group. Group names (departments, categories, grid cells) are drawn on the canvas, never as HTML.
// Each chart marks its element data-state="drawn" and data-draw-ms once its first frame is drawn.
import uPlot from "./lib/uplot/uPlot.esm.js";

const charts = new WeakMap();

/** A label short enough for the axis under a bar. */
const shorten = text => text.length > 10 ? text.slice(0, 9) + "…" : text;

function bars(container, labels, series, yRange, text) {
    const started = performance.now();
    charts.get(container)?.destroy();
    container.replaceChildren();
    const n = labels.length;
    if (n === 0) {
        const empty = document.createElement("p");
        empty.className = "chart-empty";
        empty.textContent = text.empty;
        container.append(empty);
        container.dataset.bars = "0";
        container.dataset.state = "drawn";
        return Promise.resolve(0);
    }
    let drawn;
    const firstFrame = new Promise(resolve => drawn = resolve);
    const xs = Array.from({ length: n }, (_, i) => i);
    // Two series side by side: each bar takes under half of its slot, one left of the tick and one right of it.
    const barPaths = align => uPlot.paths.bars({ size: [0.4, 60], align });
    const chart = new uPlot({
        width: Math.max(320, container.clientWidth || 600),
        height: 260,
        scales: { x: { time: false, range: () => [-0.6, n - 0.4] }, y: { range: yRange } },
        series: [
            { label: text.group, value: (u, i) => i == null ? "—" : labels[i] ?? "—" },
            ...series.map((s, k) => ({
                label: s.label, stroke: s.colour, fill: s.colour + "cc", width: 1,
                paths: barPaths(k === 0 ? -1 : 1), points: { show: false },
            })),
        ],
        axes: [
            { values: (u, splits) => splits.map(i => Number.isInteger(i) && i >= 0 && i < n ? shorten(labels[i]) : ""), incrs: [1], size: 44 },
            { size: 56 },
        ],
        hooks: { draw: [() => drawn(performance.now() - started)] },
    }, [xs, ...series.map(s => s.values)], container);
    charts.set(container, chart);
    return firstFrame.then(took => {
        container.dataset.bars = String(n);
        container.dataset.drawMs = took.toFixed(1);
        container.dataset.state = "drawn";
        return took;
    });
}

/**
 * Draws both charts from the page's rows ({labels, reported, closed, onTime, rework}; rates in percent or null) with the
 * page's words in the screen's language ({group, reported, closed, onTime, rework, empty}).
 */
export async function draw(countsElement, ratesElement, data, text) {
    const labels = (data.labels || []).map(String);
    await Promise.all([
        bars(countsElement, labels, [
            { label: text.reported, colour: "#1f6fb2", values: data.reported },
            { label: text.closed, colour: "#2e7d32", values: data.closed },
        ], (u, min, max) => [0, Math.max(1, max ?? 0) * 1.1], text),
        bars(ratesElement, labels, [
            { label: text.onTime, colour: "#2e7d32", values: data.onTime },
            { label: text.rework, colour: "#c62828", values: data.rework },
        ], () => [0, 100], text),
    ]);
}
