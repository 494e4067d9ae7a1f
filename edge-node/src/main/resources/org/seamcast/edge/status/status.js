// Seamcast edge status page: polls /status.json once a second and redraws.
// Every value from the edge goes into the page through textContent or an SVG attribute, never as markup.
"use strict";

const POLL_MS = 1000;
const TIMEOUT_MS = 2500;
const SVG_NS = "http://www.w3.org/2000/svg";
const PATH_COLOURS = ["#1f77b4", "#d95f02", "#7570b3", "#1b9e77", "#e7298a", "#66a61e", "#a6761d", "#666666"];
const MARKS = {
    switch: { colour: "#b26b00", lane: 0, label: "switch" },
    switch_back: { colour: "#2e7d4f", lane: 0, label: "switch back" },
    fallback_start: { colour: "#b3261e", lane: 0, label: "fallback" },
    fallback_end: { colour: "#2e7d4f", lane: 0, label: "fallback ends" },
    dead_air: { colour: "#7b1fa2", lane: 0, label: "dead air" },
    bridge: { colour: "#1565c0", lane: 0, label: "bridged" },
    bridge_silent: { colour: "#e65100", lane: 0, label: "bridge silent" },
    bridge_refused: { colour: "#e65100", lane: 0, label: "not bridged" },
    epoch_change: { colour: "#5f6b7a", lane: 0, label: "encoder restarted" },
    path_down: { colour: "#b3261e", lane: 1, label: "down" },
    path_up: { colour: "#2e7d4f", lane: 1, label: "back" }
};
const frameMsByMount = new Map();
const lastSampleByMount = new Map();
let failingSince = null;

function el(tag, text, className)
{
    const node = document.createElement(tag);
    if (text !== undefined && text !== null)
    {
        node.textContent = String(text);
    }
    if (className)
    {
        node.className = className;
    }
    return node;
}

function svg(tag, attributes, text)
{
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes || {}))
    {
        node.setAttribute(name, String(value));
    }
    if (text !== undefined && text !== null)
    {
        node.textContent = String(text);
    }
    return node;
}

function row(cells)
{
    const tr = document.createElement("tr");
    for (const cell of cells)
    {
        const td = document.createElement("td");
        if (cell instanceof Node)
        {
            td.appendChild(cell);
        }
        else
        {
            td.textContent = String(cell);
        }
        tr.appendChild(td);
    }
    return tr;
}

function ago(ms)
{
    if (ms === null || ms === undefined)
    {
        return "never";
    }
    return ms < 10000 ? (ms / 1000).toFixed(1) + " s ago" : Math.round(ms / 1000) + " s ago";
}

function clock(ms)
{
    return new Date(ms).toLocaleTimeString([], { hour12: false });
}

function isoTime(ms)
{
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function pathColour(id)
{
    return PATH_COLOURS[id % PATH_COLOURS.length];
}

function encoderName(mount, id)
{
    const encoder = mount.encoders.find(e => e.id === id);
    return encoder && encoder.ingest ? encoder.ingest + " · encoder " + id : "encoder " + id;
}

/** The time axis shared by every chart: the last history.samples seconds, ending at history.endMs. */
function timeAxis(status, left, width)
{
    const spanMs = status.history.samples * status.history.stepMs;
    const startMs = status.history.endMs - spanMs;
    return {
        startMs: startMs,
        endMs: status.history.endMs,
        x: timeMs => left + (timeMs - startMs) / spanMs * width,
        sampleX: i => left + (i + 0.5) / status.history.samples * width
    };
}

function drawTimeTicks(chart, axis, top, bottom)
{
    for (const minutesAgo of [3, 2, 1, 0])
    {
        const x = axis.x(axis.endMs - minutesAgo * 60000);
        chart.appendChild(svg("line", { class: "axis", x1: x, x2: x, y1: top, y2: bottom }));
        chart.appendChild(svg("text", { class: "grid-label", x: x, y: bottom + 12, "text-anchor": "middle" },
            minutesAgo === 0 ? "now" : "-" + minutesAgo + " min"));
    }
}

/** Splits a series with nulls into runs of [x, y] points. */
function runs(values, x, y)
{
    const result = [];
    let current = [];
    values.forEach((value, i) =>
    {
        if (value === null || value === undefined)
        {
            if (current.length > 0)
            {
                result.push(current);
            }
            current = [];
        }
        else
        {
            current.push([x(i), y(value)]);
        }
    });
    if (current.length > 0)
    {
        result.push(current);
    }
    return result;
}

function polyline(points, className, colour, path)
{
    return svg("polyline", {
        class: className,
        stroke: colour,
        "data-path": path,
        "data-points": points.length,
        points: points.map(p => p[0].toFixed(1) + "," + p[1].toFixed(1)).join(" ")
    });
}

function renderHeadroom(status)
{
    const width = 1100;
    const left = 80;
    const plotWidth = width - left - 10;
    const panelHeight = 96;
    const labelHeight = 18;
    const height = status.paths.length * (panelHeight + labelHeight) + 22;
    const chart = svg("svg", { class: "headroom-chart", viewBox: "0 0 " + width + " " + height, role: "img" });
    chart.appendChild(svg("title", {}, "Arrival headroom of each path over the last 3 minutes"));
    const axis = timeAxis(status, left, plotWidth);
    const delay = status.playoutDelayMs;
    status.paths.forEach((path, index) =>
    {
        const colour = pathColour(path.id);
        const top = index * (panelHeight + labelHeight) + labelHeight;
        const bottom = top + panelHeight - 8;
        const values = path.headroom.minMs.concat(path.headroom.meanMs).filter(v => v !== null);
        const low = Math.min(0, ...values);
        const high = Math.max(delay, ...values) * 1.06;
        const floor = low < 0 ? low * 1.1 : -0.04 * delay;
        const y = value => bottom - (value - floor) / (high - floor) * (bottom - top);
        const last = path.headroom.meanMs[path.headroom.meanMs.length - 1];
        chart.appendChild(svg("text", { x: left, y: top - 5, fill: colour, "font-weight": 600 },
            "path " + path.id + " " + path.address + (path.connected ? "" : " · DOWN")
            + (last !== null && last !== undefined ? " · last second: " + last + " ms left on average"
                : " · no copies in the last second")));
        for (const minutesAgo of [3, 2, 1, 0])
        {
            const x = axis.x(axis.endMs - minutesAgo * 60000);
            chart.appendChild(svg("line", { class: "axis", x1: x, x2: x, y1: top, y2: bottom }));
        }
        chart.appendChild(svg("line", { class: "reference", x1: left, x2: left + plotWidth, y1: y(delay),
            y2: y(delay) }));
        chart.appendChild(svg("text", { class: "grid-label", x: left - 6, y: y(delay) + 4, "text-anchor": "end" },
            "D " + delay + " ms"));
        chart.appendChild(svg("line", { class: "deadline", x1: left, x2: left + plotWidth, y1: y(0), y2: y(0) }));
        chart.appendChild(svg("text", { class: "grid-label", x: left - 6, y: y(0) + 4, "text-anchor": "end" },
            "deadline"));
        let drawn = 0;
        for (const points of runs(path.headroom.meanMs, axis.sampleX, y))
        {
            chart.appendChild(polyline(points, "headroom mean", colour, path.id));
            drawn += points.length;
        }
        for (const points of runs(path.headroom.minMs, axis.sampleX, y))
        {
            chart.appendChild(polyline(points, "headroom min", colour, path.id));
        }
        if (drawn === 0)
        {
            chart.appendChild(svg("text", { class: "empty", x: left + plotWidth / 2, y: (top + bottom) / 2,
                "text-anchor": "middle" }, "no copies in the last 3 minutes"));
        }
    });
    const axisY = height - 10;
    for (const minutesAgo of [3, 2, 1, 0])
    {
        chart.appendChild(svg("text", { class: "grid-label", x: axis.x(axis.endMs - minutesAgo * 60000), y: axisY,
            "text-anchor": "middle" }, minutesAgo === 0 ? "now" : "-" + minutesAgo + " min"));
    }
    document.getElementById("headroom").replaceChildren(chart);
}

function renderPaths(paths)
{
    const body = document.getElementById("paths");
    body.replaceChildren();
    for (const path of paths)
    {
        const state = el("span");
        const badge = path.connected ? "up" : "down";
        state.appendChild(el("span", path.connected ? "connected" : "DOWN", "badge " + badge));
        if (!path.connected)
        {
            state.appendChild(el("span", path.problem || "no problem reported", "problem"));
        }
        const tr = row(["path " + path.id, path.address, state, ago(path.lastMessageAgoMs)]);
        tr.dataset.path = String(path.id);
        tr.dataset.state = path.connected ? "up" : "down";
        tr.className = path.connected ? "up" : "down";
        body.appendChild(tr);
    }
}

function playing(mount)
{
    if (mount.fallback)
    {
        return { state: "fallback",
            text: "FALLBACK: " + (mount.fallbackPlays === "file" ? mount.fallbackFile : "silence") };
    }
    const rank = mount.encoders.findIndex(e => e.id === mount.activeEncoder);
    if (mount.activeEncoder < 0 || rank < 0)
    {
        return { state: "none", text: "nothing playing yet" };
    }
    const name = encoderName(mount, mount.activeEncoder);
    return rank === 0
        ? { state: "primary", text: name + " (primary)" }
        : { state: "backup", text: name + " (backup)" };
}

function frameMs(status, mount)
{
    const frames = mount.framesPlayed + mount.fallbackFrames;
    const last = lastSampleByMount.get(mount.mount);
    lastSampleByMount.set(mount.mount, { timeMs: status.timeMs, frames: frames });
    if (last && frames > last.frames && status.timeMs > last.timeMs)
    {
        frameMsByMount.set(mount.mount, (status.timeMs - last.timeMs) / (frames - last.frames));
    }
    return frameMsByMount.get(mount.mount);
}

function eventClass(line)
{
    if (/ (FALLBACK_START|TIMESTAMP_JUMP) /.test(line))
    {
        return "fault";
    }
    if (/ (SWITCH_BACK|FALLBACK_END) /.test(line))
    {
        return "recovery";
    }
    return / (SWITCH|EPOCH_CHANGE) /.test(line) ? "switch" : "";
}

function eventText(line)
{
    const space = line.indexOf(" ");
    const when = space > 0 ? Date.parse(line.substring(0, space)) : NaN;
    return isNaN(when) ? line : clock(when) + line.substring(space);
}

function markText(mount, event)
{
    const spec = MARKS[event.kind];
    switch (event.kind)
    {
        case "switch":
        case "switch_back":
            return spec.label + " to " + encoderName(mount, event.encoder);
        case "fallback_start":
            return "fallback starts (no encoder has audio)";
        case "dead_air":
            return "dead air on " + encoderName(mount, event.encoder);
        case "epoch_change":
            return encoderName(mount, event.encoder) + " restarted";
        case "path_down":
            return "path " + event.path + " down" + (event.problem ? ": " + event.problem : "");
        case "path_up":
            return "path " + event.path + " back";
        default:
            return spec.label + (event.encoder >= 0 ? " " + encoderName(mount, event.encoder) : "");
    }
}

function mark(axis, lanes, mount, event)
{
    const spec = MARKS[event.kind];
    const x = axis.x(event.timeMs);
    const lane = lanes[spec.lane];
    const group = svg("g", { class: "mark", "data-kind": event.kind, "data-time": event.timeMs });
    if (event.path !== undefined)
    {
        group.setAttribute("data-path", event.path);
    }
    group.appendChild(svg("title", {}, clock(event.timeMs) + " " + markText(mount, event)));
    group.appendChild(svg("line", { x1: x, x2: x, y1: lane.top, y2: lane.bottom, stroke: spec.colour,
        "stroke-width": event.kind === "bridge" ? 1 : 2 }));
    const tip = lane.top;
    group.appendChild(svg("polygon", { fill: spec.colour,
        points: (x - 5) + "," + tip + " " + (x + 5) + "," + tip + " " + x + "," + (tip + 7) }));
    const label = spec.lane === 1 ? "path " + event.path + " " + spec.label
        : event.kind === "fallback_start" ? "fallback"
        : event.kind === "switch" || event.kind === "switch_back" ? "→ " + encoderName(mount, event.encoder) : null;
    if (label !== null)
    {
        const nearRightEdge = x > axis.x(axis.endMs) - 160;
        group.appendChild(svg("text", { x: nearRightEdge ? x - 7 : x + 7, y: lane.bottom - 4, fill: spec.colour,
            "text-anchor": nearRightEdge ? "end" : "start" }, label));
    }
    return group;
}

function renderStrip(container, status, mount)
{
    const width = 1100;
    const left = 80;
    const plotWidth = width - left - 10;
    const lanes = [{ top: 4, bottom: 38 }, { top: 42, bottom: 66 }];
    const height = 84;
    const strip = svg("svg", { class: "timeline-chart", viewBox: "0 0 " + width + " " + height, role: "img" });
    strip.appendChild(svg("title", {}, "Timeline of " + mount.mount + " over the last 3 minutes"));
    const axis = timeAxis(status, left, plotWidth);
    lanes.forEach((lane, i) =>
    {
        strip.appendChild(svg("rect", { class: "lane", x: left, y: lane.top, width: plotWidth,
            height: lane.bottom - lane.top }));
        strip.appendChild(svg("text", { class: "grid-label", x: left - 6, y: (lane.top + lane.bottom) / 2 + 4,
            "text-anchor": "end" }, i === 0 ? "mount" : "paths"));
    });
    drawTimeTicks(strip, axis, lanes[0].top, lanes[1].bottom);

    let fallbackFrom = null;
    const inWindow = t => t >= axis.startMs && t <= axis.endMs + 2 * status.history.stepMs;
    const runOf = (from, to) => svg("rect", { class: "fallback-run", x: axis.x(Math.max(from, axis.startMs)),
        y: lanes[0].top, width: Math.max(2, axis.x(Math.min(to, axis.endMs)) - axis.x(Math.max(from, axis.startMs))),
        height: lanes[0].bottom - lanes[0].top });
    for (const event of mount.timeline)
    {
        if (event.kind === "fallback_start")
        {
            fallbackFrom = event.timeMs;
        }
        else if (event.kind === "fallback_end" && fallbackFrom !== null)
        {
            if (event.timeMs >= axis.startMs)
            {
                strip.appendChild(runOf(fallbackFrom, event.timeMs));
            }
            fallbackFrom = null;
        }
    }
    if (fallbackFrom !== null && mount.fallback)
    {
        strip.appendChild(runOf(fallbackFrom, axis.endMs));
    }
    const events = mount.timeline.concat(status.pathEvents.map(e =>
        ({ timeMs: e.timeMs, kind: "path_" + e.kind, path: e.path, problem: e.problem, encoder: -1 })));
    for (const event of events)
    {
        if (MARKS[event.kind] && inWindow(event.timeMs))
        {
            strip.appendChild(mark(axis, lanes, mount, event));
        }
    }
    container.replaceChildren(strip);
}

function renderBufferChart(container, status, mount, perFrameMs)
{
    const width = 1100;
    const height = 90;
    const left = 80;
    const plotWidth = width - left - 10;
    const top = 6;
    const bottom = height - 20;
    const chart = svg("svg", { class: "buffer-depth", viewBox: "0 0 " + width + " " + height, role: "img" });
    chart.appendChild(svg("title", {}, "Playout buffer of " + mount.mount + " over the last 3 minutes"));
    const axis = timeAxis(status, left, plotWidth);
    const toMs = frames => perFrameMs ? frames * perFrameMs : frames;
    const unit = perFrameMs ? " ms" : " frames";
    let high = perFrameMs ? status.playoutDelayMs : 1;
    for (const frames of mount.bufferFrames)
    {
        if (frames !== null)
        {
            high = Math.max(high, toMs(frames));
        }
    }
    high = high * 1.1;
    const y = value => bottom - value / high * (bottom - top);
    drawTimeTicks(chart, axis, top, bottom);
    if (perFrameMs)
    {
        chart.appendChild(svg("line", { class: "reference", x1: left, x2: left + plotWidth,
            y1: y(status.playoutDelayMs), y2: y(status.playoutDelayMs) }));
    }
    chart.appendChild(svg("text", { class: "grid-label", x: left - 6, y: top + 10, "text-anchor": "end" },
        Math.round(high) + unit));
    chart.appendChild(svg("text", { class: "grid-label", x: left - 6, y: bottom, "text-anchor": "end" }, "0"));
    for (const points of runs(mount.bufferFrames.map(f => f === null ? null : toMs(f)), axis.sampleX, y))
    {
        chart.appendChild(polyline(points, "buffer", "#1f77b4", ""));
    }
    container.replaceChildren(chart);
}

function renderMount(section, status, mount)
{
    section.dataset.mount = mount.mount;
    section.querySelector(".mount-name").textContent = mount.mount;
    const now = playing(mount);
    const badge = section.querySelector(".playing");
    badge.textContent = now.text;
    badge.dataset.state = now.state;

    section.querySelector(".title").textContent = mount.title || "(no title)";
    section.querySelector(".listeners").textContent = String(mount.listeners);
    const perFrame = frameMs(status, mount);
    section.querySelector(".buffer").textContent = mount.pendingFrames + " frames"
        + (perFrame ? " ≈ " + Math.round(mount.pendingFrames * perFrame) + " ms" : "")
        + " (" + mount.heldFrames + " held)";
    section.querySelector(".played").textContent = mount.framesPlayed + " frames"
        + (mount.fallbackFrames > 0 ? ", " + mount.fallbackFrames + " of fallback" : "");
    section.querySelector(".bridges").textContent = mount.bridges.switches
        + (mount.bridges.refused + mount.bridges.silent > 0
            ? " (" + mount.bridges.refused + " refused, " + mount.bridges.silent + " silent)" : "");

    renderStrip(section.querySelector(".timeline-strip"), status, mount);
    renderBufferChart(section.querySelector(".buffer-chart"), status, mount, perFrame);

    const encoders = section.querySelector(".encoders");
    encoders.replaceChildren();
    mount.encoders.forEach((e, rank) =>
    {
        const live = e.id === mount.activeEncoder && !mount.fallback;
        const role = (rank === 0 ? "primary" : "backup") + (live ? " ▶ playing" : "");
        const how = e.offsetLearned ? " learned" : e.offsetUs !== 0 ? " set" : " (learning)";
        const offset = rank === 0 ? "reference" : (Math.round(e.offsetUs / 100) / 10 || 0).toFixed(1) + " ms" + how;
        const started = el("span", e.epoch > 0 ? isoTime(e.epoch) : "unknown", "nowrap");
        if (e.epoch > 0)
        {
            started.title = "epoch " + e.epoch + " · " + new Date(e.epoch).toString();
        }
        const name = e.ingest ? e.ingest + " (encoder " + e.id + ")" : "encoder " + e.id;
        const tr = row([name, role, started, e.framesPlayed, offset]);
        tr.dataset.encoder = String(e.id);
        encoders.appendChild(tr);
    });

    const arrivals = section.querySelector(".arrivals");
    arrivals.replaceChildren();
    for (const p of mount.paths)
    {
        const share = p.received > 0 ? " (" + Math.round(100 * p.firstCopies / p.received) + "%)" : "";
        const tr = row(["path " + p.id, p.received, p.firstCopies + share, p.duplicates, p.late]);
        const link = status.paths.find(l => l.id === p.id);
        if (link && !link.connected)
        {
            tr.className = "down";
        }
        arrivals.appendChild(tr);
    }

    const timeline = section.querySelector(".timeline");
    timeline.replaceChildren();
    const events = mount.recentEvents.slice().reverse();
    if (events.length === 0)
    {
        timeline.appendChild(el("li", "no switches or faults yet", "muted"));
    }
    for (const line of events)
    {
        timeline.appendChild(el("li", eventText(line), eventClass(line)));
    }
}

function render(status)
{
    document.getElementById("node").textContent = "· " + status.node;
    document.title = "Seamcast " + status.node;
    const down = status.paths.filter(p => !p.connected).length;
    document.getElementById("summary").textContent = status.listeners + " listeners · "
        + (status.paths.length - down) + " of " + status.paths.length + " relay paths connected · playout delay "
        + status.playoutDelayMs + " ms · updated " + clock(status.timeMs);
    renderPaths(status.paths);
    renderHeadroom(status);

    const container = document.getElementById("mounts");
    const template = document.getElementById("mount-template");
    const seen = new Set();
    for (const mount of status.mounts)
    {
        seen.add(mount.mount);
        let section = Array.from(container.children).find(s => s.dataset.mount === mount.mount);
        if (!section)
        {
            section = template.content.firstElementChild.cloneNode(true);
            container.appendChild(section);
        }
        renderMount(section, status, mount);
    }
    for (const section of Array.from(container.children))
    {
        if (!seen.has(section.dataset.mount))
        {
            section.remove();
        }
    }
    if (status.mounts.length === 0)
    {
        container.replaceChildren(el("section", "No mounts yet: waiting for audio from the relays.", "muted"));
    }
}

function showFeed(error)
{
    const feed = document.getElementById("feed");
    if (error === null)
    {
        failingSince = null;
        feed.hidden = true;
        feed.dataset.state = "ok";
        return;
    }
    failingSince = failingSince || Date.now();
    feed.hidden = false;
    feed.dataset.state = "failing";
    feed.textContent = "Cannot reach /status.json since " + clock(failingSince) + " (" + error
        + "); what is shown is out of date.";
}

async function poll()
{
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    try
    {
        const reply = await fetch("/status.json", { cache: "no-store", signal: abort.signal });
        if (!reply.ok)
        {
            throw new Error("HTTP " + reply.status);
        }
        render(await reply.json());
        showFeed(null);
    }
    catch (error)
    {
        showFeed(error.name === "AbortError" ? "no answer in " + TIMEOUT_MS + " ms" : error.message);
    }
    finally
    {
        clearTimeout(timer);
        setTimeout(poll, POLL_MS);
    }
}

poll();
