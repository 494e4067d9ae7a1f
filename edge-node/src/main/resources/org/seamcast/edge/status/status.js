// Seamcast edge status page: polls /status.json once a second and redraws.
// Every value from the edge goes into the page through textContent, never as markup.
"use strict";

const POLL_MS = 1000;
const TIMEOUT_MS = 2500;
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
        return { state: "fallback", text: "FALLBACK: silence" };
    }
    const rank = mount.encoders.findIndex(e => e.id === mount.activeEncoder);
    if (mount.activeEncoder < 0 || rank < 0)
    {
        return { state: "none", text: "nothing playing yet" };
    }
    return rank === 0
        ? { state: "primary", text: "encoder " + mount.activeEncoder + " (primary)" }
        : { state: "backup", text: "encoder " + mount.activeEncoder + " (backup)" };
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
        + (mount.fallbackFrames > 0 ? ", " + mount.fallbackFrames + " of silence" : "");

    const encoders = section.querySelector(".encoders");
    encoders.replaceChildren();
    mount.encoders.forEach((e, rank) =>
    {
        const live = e.id === mount.activeEncoder && !mount.fallback;
        const role = (rank === 0 ? "primary" : "backup") + (live ? " ▶ playing" : "");
        const how = e.offsetLearned ? " learned" : e.offsetUs !== 0 ? " set" : " (learning)";
        const offset = rank === 0 ? "reference" : (Math.round(e.offsetUs / 100) / 10 || 0).toFixed(1) + " ms" + how;
        const tr = row(["encoder " + e.id, role, e.epoch, e.framesPlayed, offset]);
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
