// The inspector's phone page. It keeps working without a connection: every action gets an id made here, waits in
// the phone's IndexedDB until the server has answered it, and is sent again (same id) whenever the connection is
// back, so the server applies it once. Device and user text is only ever set with textContent.
(() => {
    "use strict";

    const root = document.getElementById("phone");
    if (!root) return;
    // Every text this script shows comes from the page, in the inspector's language (data-text, JSON).
    const LABELS = JSON.parse(root.dataset.text || "{}");
    const token = document.querySelector("meta[name=antiforgery]").content;
    const $ = id => document.getElementById(id);

    let view = null;          // the last answer of /m/api/task
    let myPosition = null;    // from the Geolocation API, when the phone allows it
    let flushing = false;
    let sequence = Date.now();

    // ---- the queue, in IndexedDB (it holds photos, which localStorage cannot) ----
    const database = new Promise((resolve, reject) => {
        const open = indexedDB.open("command-center-phone", 1);
        open.onupgradeneeded = () => open.result.createObjectStore("queue", { keyPath: "id" });
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
    });

    async function store(mode, work) {
        const db = await database;
        return new Promise((resolve, reject) => {
            const tx = db.transaction("queue", mode);
            const request = work(tx.objectStore("queue"));
            tx.oncomplete = () => resolve(request && request.result);
            tx.onerror = () => reject(tx.error);
        });
    }
    // A shared phone keeps each account's actions apart: they are sent only while their own inspector is signed in.
    const user = root.dataset.user || "";
    const queued = async () => ((await store("readonly", s => s.getAll())) || []).filter(i => i.user === user).sort((a, b) => a.seq - b.seq);
    const enqueue = item => store("readwrite", s => s.put(item));
    const dequeue = id => store("readwrite", s => s.delete(id));

    function newId() {
        const bytes = new Uint8Array(16);
        crypto.getRandomValues(bytes);
        return Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
    }

    // ---- sending ----
    async function post(url, fields, photo) {
        const body = new FormData();
        for (const [key, value] of Object.entries(fields)) if (value !== null && value !== undefined) body.append(key, value);
        if (photo) body.append("photo", photo, photo.name || "photo.jpg");
        return fetch(url, { method: "POST", body, credentials: "same-origin", headers: { RequestVerificationToken: token } });
    }

    async function flush() {
        if (flushing) return;
        flushing = true;
        try {
            for (const item of await queued()) {
                let response;
                try {
                    response = await post(item.kind === "report" ? "/m/api/reports" : "/m/api/moves", item.fields, item.photo);
                } catch {
                    setConnection(false);
                    return;          // still offline: everything stays queued, in order
                }
                setConnection(true);
                // Signed out (the cookie expired): a POST followed to the sign-in page is no answer. Keep the queue.
                if (response.redirected || response.status === 401 || response.status === 403) { signInAgain(); return; }
                if (response.status >= 500 || response.status === 429) return;   // try again later
                const problem = response.ok ? null : await problemOf(response);
                // A token from before the server's keys changed: a fresh page brings a fresh one; the queue stays.
                if (problem && problem.reload) { reloadOnce(); return; }
                if (problem) showMessage(LABELS.refused + (problem.detail || response.statusText));
                else if (item.kind === "report") showMessage(await reportedText(response));
                await dequeue(item.id);   // answered: applied, repeated or refused for good
            }
        } finally {
            flushing = false;
            await showQueue();
        }
        await refresh();
    }

    // The answer names the case a report with a category opened; shown as text only.
    async function reportedText(response) {
        let answer = null;
        try { answer = await response.json(); } catch { /* an answer without a body still means reported */ }
        return answer && typeof answer.caseId === "string" ? LABELS.reportedCase + answer.caseId : LABELS.reported;
    }

    async function problemOf(response) {
        try { return await response.json(); } catch { return { detail: response.statusText }; }
    }

    async function problemDetail(response) {
        return (await problemOf(response)).detail || response.statusText;
    }

    function signInAgain() { location.href = "/login?ReturnUrl=/m"; }

    function reloadOnce() {
        const last = Number(sessionStorage.getItem("phone-reloaded") || 0);
        if (Date.now() - last < 60000) return;
        sessionStorage.setItem("phone-reloaded", String(Date.now()));
        location.reload();
    }

    async function act(kind, fields, photo) {
        const id = newId();
        await enqueue({ id, user, seq: sequence++, kind, fields: { id, ...fields }, photo: photo || null, at: new Date().toISOString() });
        if (kind === "move" && view) { view.status = fields.status === "done" ? "available" : fields.status; render(); }
        await showQueue();
        await flush();
    }

    // ---- the current task ----
    async function refresh() {
        let response;
        try {
            response = await fetch("/m/api/task", { credentials: "same-origin", cache: "no-store" });
        } catch {
            setConnection(false);
            return;
        }
        setConnection(true);
        if (response.redirected || response.status === 401) { signInAgain(); return; }
        if (!response.ok) {
            view = null;
            $("task").hidden = true;
            $("no-task").hidden = true;
            showMessage(await problemDetail(response), "phone-not-linked");
            return;
        }
        view = await response.json();
        // What this phone did and has not sent yet is what the inspector sees.
        const pending = (await queued()).filter(i => i.kind === "move");
        if (pending.length) { const last = pending[pending.length - 1].fields.status; view.status = last === "done" ? "available" : last; }
        render();
    }

    let map = null, placeMarker = null, meMarker = null;

    function render() {
        $("phone-handheld").textContent = view.handheld;
        const task = view.task && view.status !== "available" ? view.task : null;
        $("task").hidden = !task;
        $("no-task").hidden = !!task;
        $("unit-status").textContent = LABELS.statuses[view.status] || view.status;
        if (!task) return;
        $("task").dataset.incident = task.incident;
        $("task").dataset.status = view.status;
        $("task-title").textContent = task.title;
        $("task-level").textContent = LABELS.levels[task.level] || task.level;
        $("task-level").dataset.colour = task.colour;
        $("task-type").textContent = LABELS.types[task.type] || task.type;
        $("task-description").textContent = task.description || "";
        $("task-status").textContent = LABELS.statuses[view.status] || view.status;
        for (const button of document.querySelectorAll(".task-buttons button"))
            button.classList.toggle("current", button.dataset.status === view.status);
        drawMap(task);
        showDistance(task);
    }

    function drawMap(task) {
        if (typeof L === "undefined") return;
        if (!map) {
            map = L.map("task-map", { zoomControl: false, attributionControl: !!root.dataset.attribution });
            if (root.dataset.tiles) L.tileLayer(root.dataset.tiles, { attribution: root.dataset.attribution || "" }).addTo(map);
        }
        const place = [task.lat, task.lon];
        if (!placeMarker) placeMarker = L.circleMarker(place, { radius: 9, color: "#d32f2f", fillOpacity: 0.8 }).addTo(map);
        placeMarker.setLatLng(place);
        const me = myPosition || (view.fix && [view.fix.lat, view.fix.lon]);
        if (me) {
            if (!meMarker) meMarker = L.circleMarker(me, { radius: 6, color: "#1565c0", fillOpacity: 0.9 }).addTo(map);
            meMarker.setLatLng(me);
            map.fitBounds(L.latLngBounds([place, me]).pad(0.3), { maxZoom: 17 });
        } else {
            map.setView(place, 16);
        }
    }

    function showDistance(task) {
        let meters = null, from = "";
        if (myPosition) { meters = greatCircle(myPosition, [task.lat, task.lon]); from = LABELS.fromPhone; }
        else if (task.distanceMeters !== null && task.distanceMeters !== undefined) { meters = task.distanceMeters; from = LABELS.fromHandheld; }
        $("task-distance").textContent = meters === null ? "–" : meters >= 1000 ? `${(meters / 1000).toFixed(1)} km` : `${Math.round(meters)} m`;
        $("task-distance-from").textContent = from;
    }

    function greatCircle([lat1, lon1], [lat2, lon2]) {
        const rad = Math.PI / 180, dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad;
        const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
        return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    // ---- what is shown besides the task ----
    function setConnection(online) {
        const badge = $("phone-connection");
        badge.dataset.state = online ? "online" : "offline";
        badge.textContent = online ? LABELS.online : LABELS.offline;
    }

    function showMessage(text, kind) {
        const message = $("phone-message");
        message.textContent = text;
        message.dataset.kind = kind || "";
        message.hidden = !text;
    }

    async function showQueue() {
        const items = await queued();
        $("queue-count").textContent = String(items.length);
        const list = $("queue");
        list.replaceChildren(...items.map(item => {
            const li = document.createElement("li");
            li.dataset.id = item.id;
            li.dataset.kind = item.kind;
            li.textContent = `${new Date(item.at).toLocaleTimeString()} ${LABELS.actions[item.kind === "report" ? "report" : item.fields.status]}`
                + (item.photo ? " 📷" : "");
            return li;
        }));
    }

    // ---- the buttons ----
    for (const button of document.querySelectorAll(".task-buttons button")) {
        button.addEventListener("click", () => {
            if (!view || !view.task) return;
            if (button.dataset.status === "done") { $("done-form").hidden = false; return; }
            act("move", { incident: view.task.incident, status: button.dataset.status });
        });
    }

    $("done-send").addEventListener("click", async () => {
        if (!view || !view.task) return;
        const photo = $("done-photo").files[0];
        await act("move", { incident: view.task.incident, status: "done", note: $("done-note").value.trim() || null }, photo);
        $("done-note").value = "";
        $("done-photo").value = "";
        $("done-form").hidden = true;
    });

    $("report-send").addEventListener("click", async () => {
        const text = $("report-text").value.trim();
        if (!text) { showMessage(LABELS.needText); return; }
        const fields = { text };
        // Kept with the queued report, so a report sent later still opens its case.
        const category = $("report-category").value;
        if (category) fields.category = category;
        if (myPosition) { fields.lat = String(myPosition[0]); fields.lon = String(myPosition[1]); }
        const photo = $("report-photo").files[0];
        $("report-text").value = "";
        $("report-photo").value = "";
        $("report-category").value = "";
        await act("report", fields, photo);
    });

    if (navigator.geolocation) {
        navigator.geolocation.watchPosition(
            p => { myPosition = [p.coords.latitude, p.coords.longitude]; if (view) render(); },
            () => { myPosition = null; },
            { enableHighAccuracy: true, maximumAge: 30000 });
    }

    window.addEventListener("online", flush);
    window.addEventListener("offline", () => setConnection(false));
    // A lost connection does not always say so: try the queue and the task again every few seconds.
    setInterval(async () => { if ((await queued()).length) await flush(); else await refresh(); }, 5000);

    showQueue().then(flush).then(() => { root.dataset.ready = "yes"; });
})();
