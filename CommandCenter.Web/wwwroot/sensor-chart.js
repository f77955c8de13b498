// A sensor's pollutant over time with uPlot: the values, readings whose HJ 212 flag is not N as markers, the limit
// as a dashed line and the sensor's alert periods shaded. Loaded as a module by the sensor and evidence pages; it
// fetches with the page's sign-in cookie. Times are China Standard Time with the date. Device text is never HTML.
import uPlot from "./lib/uplot/uPlot.esm.js";

const ZONE = "Asia/Shanghai";
// The page passes its words in its own language; these stand in when a caller passes none.
const LABELS = {
    value: "Value",
    flagged: "Flag not N",
    limit: "Limit",
    time: "Time (+08:00)",
    flaggedCount: "Readings flagged other than N: ",
    noData: "No readings in this period.",
    failed: "Could not load: ",
};
const charts = new WeakMap();

/** A Date whose fields read as China time, for uPlot's axis and legend formatting. */
const chinaDate = seconds => uPlot.tzDate(new Date(seconds * 1e3), ZONE);
const axisDate = uPlot.fmtDate("{MM}-{DD}\n{HH}:{mm}");
const legendDate = uPlot.fmtDate("{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}");

/** Turns the history answer ({points: [{ts, value, flag?}]}) into uPlot's columns: time, value, flagged value. */
export function columns(history) {
    const points = history.points || [];
    const xs = new Float64Array(points.length);
    const values = new Array(points.length);
    const flagged = new Array(points.length);
    let anyFlag = false;
    for (let i = 0; i < points.length; i++) {
        const p = points[i];
        xs[i] = Date.parse(p.ts) / 1e3;
        values[i] = p.value;
        const odd = p.flag != null && p.flag !== "N";
        flagged[i] = odd ? p.value : null;
        anyFlag ||= odd;
    }
    return { xs, values, flagged, anyFlag };
}

/**
 * Draws into <paramref name="container"/>: history as the API answers it, the alert periods ({from, to}; to null
 * while open) and the time range. Resolves to the milliseconds from building the columns to the first frame drawn
 * (uPlot draws in a microtask after it is built). <paramref name="labels"/>: the words shown, from the page.
 */
export async function draw(container, history, periods, from, to, labels) {
    const words = { ...LABELS, ...labels };
    const started = performance.now();
    charts.get(container)?.destroy();
    container.replaceChildren();
    const { xs, values, flagged, anyFlag } = columns(history);
    const limit = typeof history.limit === "number" ? history.limit : null;
    const spans = (periods || []).map(p => [Date.parse(p.from) / 1e3, p.to ? Date.parse(p.to) / 1e3 : to / 1e3]);
    let drawn;
    const firstFrame = new Promise(resolve => drawn = resolve);
    const width = Math.max(320, container.clientWidth || 800);
    const unit = history.unit ? ` (${history.unit})` : "";
    const chart = new uPlot({
        width,
        height: 260,
        tzDate: chinaDate,
        scales: {
            x: { time: true, range: () => [from / 1e3, to / 1e3] },
            y: {
                range: (u, min, max) => {
                    const top = Math.max(max ?? 0, limit != null ? limit * 1.15 : 0, 1);
                    return [Math.min(0, min ?? 0), top];
                },
            },
        },
        series: [
            { label: words.time, value: (u, ts) => ts == null ? "—" : legendDate(chinaDate(ts)) },
            { label: words.value + unit, stroke: "#1f6fb2", width: 1.25, points: { show: false }, spanGaps: false },
            {
                label: words.flagged, stroke: "#d97a00", fill: "#d97a00", paths: () => null, show: anyFlag,
                points: { show: true, size: 7, stroke: "#d97a00", fill: "#fff" },
            },
        ],
        axes: [{ values: (u, splits) => splits.map(s => axisDate(chinaDate(s))), size: 48 }, { size: 56 }],
        hooks: {
            // Alert periods under the line.
            drawClear: [u => {
                const ctx = u.ctx;
                ctx.save();
                ctx.fillStyle = "rgba(220, 40, 40, 0.14)";
                const top = u.bbox.top, height = u.bbox.height;
                for (const [a, b] of spans) {
                    const left = Math.max(u.bbox.left, u.valToPos(a, "x", true));
                    const right = Math.min(u.bbox.left + u.bbox.width, u.valToPos(b, "x", true));
                    if (right > left) ctx.fillRect(left, top, Math.max(2, right - left), height);
                }
                ctx.restore();
            }],
            // The limit over everything.
            draw: [u => {
                if (limit == null) return;
                const y = u.valToPos(limit, "y", true);
                const ctx = u.ctx;
                ctx.save();
                ctx.strokeStyle = "#c62828";
                ctx.setLineDash([6, 4]);
                ctx.lineWidth = 1.5;
                ctx.beginPath();
                ctx.moveTo(u.bbox.left, y);
                ctx.lineTo(u.bbox.left + u.bbox.width, y);
                ctx.stroke();
                ctx.restore();
            }, () => drawn(performance.now() - started)],
        },
    }, [xs, values, flagged], container);
    charts.set(container, chart);
    const took = await firstFrame;
    container.dataset.points = String(xs.length);
    container.dataset.flagged = String(flagged.filter(v => v != null).length);
    container.dataset.periods = String(spans.length);
    const flagNote = container.parentElement?.querySelector(".flag-count");
    if (flagNote) flagNote.textContent = `${words.flaggedCount}${container.dataset.flagged} / ${xs.length}`;
    container.dataset.drawMs = took.toFixed(1);
    if (xs.length === 0) {
        const empty = document.createElement("p");
        empty.className = "chart-empty";
        empty.textContent = words.noData;
        container.append(empty);
    }
    container.dataset.state = "drawn";
    return took;
}

/**
 * Fetches a pollutant's history and the sensor's alert periods for a time range, then draws them. With no step the
 * raw readings are asked for (each with its flag); if there are more than the server answers at once, it asks
 * again with <paramref name="fallbackStep"/>.
 */
export async function show(container, sensor, pollutant, fromMs, toMs, step, fallbackStep, labels) {
    const words = { ...LABELS, ...labels };
    container.dataset.state = "loading";
    const began = performance.now();
    const from = new Date(fromMs).toISOString(), to = new Date(toMs).toISOString();
    const id = encodeURIComponent(sensor);
    const history = chosen => {
        const query = new URLSearchParams({ pollutant, from, to });
        if (chosen) query.set("step", chosen);
        return get(`/api/sensors/${id}/history?${query}`);
    };
    try {
        const periods = get(`/sensors/${id}/alert-periods?${new URLSearchParams({ pollutant, from, to })}`);
        let values;
        try {
            values = await history(step);
        } catch (e) {
            if (step || !fallbackStep || e.status !== 400) throw e;
            values = await history(fallbackStep);
        }
        container.dataset.step = values.step == null ? "raw" : String(values.step);
        const took = await draw(container, values, await periods, fromMs, toMs, words);
        // Asked, answered and drawn: what an officer waits for.
        container.dataset.totalMs = (performance.now() - began).toFixed(1);
        return took;
    } catch (e) {
        container.replaceChildren();
        const failed = document.createElement("p");
        failed.className = "chart-error";
        failed.textContent = words.failed + e.message;
        container.append(failed);
        container.dataset.state = "failed";
        return -1;
    }
}

async function get(url) {
    const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) {
        const error = new Error(`${response.status} ${url.split("?")[0]}`);
        error.status = response.status;
        throw error;
    }
    return response.json();
}

/** Opens the browser's print dialog (the evidence sheet has print styles). */
export function print() {
    window.print();
}
