// The inspector's cases to verify on the phone page: the list from /m/api/cases, and the check on site (passed, or
// failed with a note: the case goes back to its department). Case text is only ever set with textContent.
(() => {
    "use strict";

    // The words come from the page, in the inspector's language (data-text on #phone, JSON).
    const text = JSON.parse(document.getElementById("phone")?.dataset.text || "{}");
    const LABELS = {
        none: text.verifyNone, passed: text.verifyPassed, failed: text.verifyFailed, needNote: text.verifyNeedNote,
        done: text.verifyDone, refused: text.refused, rework: text.verifyRework, overdue: text.verifyOverdue, note: text.verifyNote,
    };

    const list = document.getElementById("verify-list");
    if (!list) return;
    const token = document.querySelector("meta[name=antiforgery]").content;
    const status = document.getElementById("verify-message");

    function say(text) {
        status.textContent = text;
        status.hidden = !text;
    }

    function element(tag, className, text) {
        const node = document.createElement(tag);
        if (className) node.className = className;
        if (text !== undefined && text !== null) node.textContent = text;
        return node;
    }

    async function verify(id, passed, note) {
        if (!passed && !note.trim()) { say(LABELS.needNote); return; }
        const body = new FormData();
        body.append("passed", passed ? "true" : "false");
        body.append("note", note);
        const response = await fetch(`/m/api/cases/${encodeURIComponent(id)}/verify`,
            { method: "POST", body, credentials: "same-origin", headers: { RequestVerificationToken: token } });
        if (response.ok) {
            say(LABELS.done);
        } else {
            let detail = String(response.status);
            try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
            say(LABELS.refused + detail);
        }
        await load();
    }

    function render(cases) {
        list.replaceChildren();
        document.getElementById("verify-count").textContent = String(cases.length);
        if (cases.length === 0) { list.append(element("li", "empty", LABELS.none)); return; }
        for (const c of cases) {
            const item = element("li", c.overdue ? "case overdue" : "case");
            item.dataset.caseId = c.id;
            item.append(element("b", null, `${c.id} · ${c.category}`));
            item.append(element("p", null, c.description));
            if (c.address) item.append(element("p", "address", c.address));
            const meta = [c.department];
            if (c.reworkCount > 0) meta.push(`${LABELS.rework} ${c.reworkCount}`);
            if (c.overdue) meta.push(LABELS.overdue);
            item.append(element("p", "meta", meta.join(" · ")));
            const label = element("label", null, LABELS.note);
            const note = element("textarea", "verify-note");
            note.rows = 2;
            note.maxLength = 1000;
            label.append(note);
            item.append(label);
            const pass = element("button", "verify-pass", LABELS.passed);
            const fail = element("button", "verify-fail", LABELS.failed);
            pass.addEventListener("click", () => verify(c.id, true, note.value));
            fail.addEventListener("click", () => verify(c.id, false, note.value));
            item.append(pass, fail);
            list.append(item);
        }
    }

    async function load() {
        try {
            const response = await fetch("/m/api/cases", { credentials: "same-origin", cache: "no-store" });
            if (response.ok) render(await response.json());
        } catch { /* offline: the list stays as it was */ }
    }

    load();
    setInterval(load, 30000);
})();
