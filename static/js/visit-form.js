// The Record of Visit form on a tablet with poor wifi.
// - Everything typed is kept as a draft on the device (localStorage) as the SLE types.
// - "Save" puts the record in an outbox on the device first, then sends it; a record that
//   cannot be sent yet waits ("Waiting to send") and goes when the connection returns, or
//   when the page is next opened. A record the server refuses stays, with its errors.
// - Each record carries an id made on the device, so a send that is retried after a lost
//   answer never makes a second record.
// - A service worker keeps this page and its files, so it opens again with no connection.
// - The bar at the bottom, by the Save button, says what became of the record: draft kept,
//   waiting to send, sent. The SLE sees it where they pressed, not a screen above.
(() => {
  "use strict";
  const form = document.getElementById("visit-form");
  if (!form) return;
  // Each person's outbox is their own: on a shared tablet, nobody sends another's records.
  const OUTBOX = `mathsprog:visit-outbox:${form.dataset.user}`;
  const CACHE = "mathsprog-visits-v3"; // as in visits-sw.js
  const draftKey = form.dataset.draftKey;
  const list = document.getElementById("outbox-list");
  const outboxSection = document.getElementById("outbox");
  const errorsBox = document.getElementById("form-errors");
  const idField = form.elements["client_id"];
  const stateLine = document.getElementById("save-state");
  const hoursRow = document.getElementById("hours-row");
  const STATES = { waiting: "Waiting to send", sent: "Sent", refused: "Not accepted: needs correcting" };
  let typedSinceSave = false;

  const newId = () =>
    crypto.randomUUID ? crypto.randomUUID() :
      "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
        (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16));

  const read = (key, fallback) => {
    try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch { return fallback; }
  };
  const write = (key, value) => localStorage.setItem(key, JSON.stringify(value));

  const fields = () => Array.from(new FormData(form).entries()).filter(([name]) => name !== "csrfmiddlewaretoken");

  const KEPT_FROM_PAGE = new Set(["csrfmiddlewaretoken", "form_version"]);

  function restore(entries) {
    const byName = {};
    for (const [name, value] of entries) (byName[name] ||= []).push(value);
    for (const element of form.elements) {
      // The form's version is the page's, not the draft's: the questions shown are this page's.
      if (!element.name || KEPT_FROM_PAGE.has(element.name) || !(element.name in byName)) continue;
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = byName[element.name].includes(element.value);
      } else {
        element.value = byName[element.name][0];
      }
    }
  }

  // "Hours" is asked only of a visit logged in hours; a comment opens when it has words.
  function showWhatApplies() {
    // Not form.elements["length"]: that is the number of the form's controls.
    const length = form.querySelector("input[name='length']:checked");
    if (hoursRow) hoursRow.hidden = !length || length.value !== "hours";
    for (const comment of form.querySelectorAll("details.visit-comment")) {
      comment.open = comment.querySelector("input").value !== "";
    }
  }

  function saveDraft() {
    write(draftKey, fields());
    typedSinceSave = true;
    showState();
  }

  function showState() {
    const records = read(OUTBOX, []);
    const latest = records[records.length - 1];
    const waiting = records.filter((r) => r.state === "waiting").length;
    let state = "new", text = "Not saved yet";
    if (typedSinceSave || (!latest && read(draftKey, null))) {
      state = "draft";
      text = "Draft kept on this device" + (waiting ? ` · ${waiting} waiting to send` : "");
    } else if (latest) {
      state = latest.state;
      text = `${STATES[state]} (${latest.school}, ${latest.date})`;
    }
    stateLine.dataset.recordState = state;
    stateLine.textContent = text;
    if (state === "sent" && latest.url) {
      const link = document.createElement("a");
      link.href = latest.url;
      link.className = "btn btn-link";
      link.textContent = "Open it";
      stateLine.append(" ", link);
    }
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : form.elements["csrfmiddlewaretoken"].value;
  }

  function render() {
    const records = read(OUTBOX, []);
    outboxSection.hidden = records.length === 0;
    list.replaceChildren(...records.map((record) => {
      const item = document.createElement("li");
      item.className = "list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2";
      item.dataset.state = record.state;
      const label = document.createElement("span");
      label.textContent = `${record.school}, ${record.date}`;
      const badge = document.createElement("span");
      badge.className = "badge " + ({ waiting: "text-bg-warning", sent: "text-bg-success", refused: "text-bg-danger" })[record.state];
      badge.textContent = STATES[record.state];
      item.append(label, badge);
      if (record.state === "sent" && record.url) {
        const link = document.createElement("a");
        link.href = record.url;
        link.className = "btn btn-outline-primary";
        link.textContent = "Open the record";
        item.append(link);
      }
      if (record.state === "refused") {
        const problems = document.createElement("p");
        problems.className = "w-100 mb-0 small";
        problems.textContent = record.errors;
        const edit = document.createElement("button");
        edit.type = "button";
        edit.className = "btn btn-outline-primary";
        edit.textContent = "Correct it";
        edit.addEventListener("click", () => correct(record.id));
        item.append(problems, edit);
      }
      return item;
    }));
    showState();
  }

  function correct(id) {
    const records = read(OUTBOX, []);
    const record = records.find((r) => r.id === id);
    if (!record) return;
    restore(record.fields);
    showWhatApplies();
    write(OUTBOX, records.filter((r) => r.id !== id));
    saveDraft();
    render();
    form.scrollIntoView();
  }

  let sending = false;
  async function sendAll() {
    if (sending || !navigator.onLine) return;
    sending = true;
    try {
      for (const record of read(OUTBOX, []).filter((r) => r.state === "waiting")) {
        let response;
        try {
          response = await fetch(record.action, {
            method: "POST",
            body: new URLSearchParams(record.fields),
            headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
            credentials: "same-origin",
            redirect: "manual",
          });
        } catch {
          break; // still offline: try again when the connection returns
        }
        const records = read(OUTBOX, []);
        const stored = records.find((r) => r.id === record.id);
        if (!stored) continue;
        if (response.ok) {
          const answer = await response.json();
          Object.assign(stored, { state: "sent", url: answer.url });
        } else if (response.status === 400) {
          const answer = await response.json();
          const messages = Object.entries(answer.errors).map(([field, errors]) =>
            `${field === "__all__" ? "" : field.replace(/_/g, " ") + ": "}${errors.map((e) => e.message).join(" ")}`);
          Object.assign(stored, { state: "refused", errors: messages.join(" ") });
        } // anything else (signed out, server trouble): it stays waiting
        write(OUTBOX, records);
        render();
      }
    } finally {
      sending = false;
    }
  }

  // Progress on an action is optional: tapping the chosen button again clears it, as a
  // mistaken tap could not otherwise be undone.
  let chosenBeforeTap = null;
  form.addEventListener("pointerdown", (event) => {
    const label = event.target.closest(".visit-action label[for]");
    const radio = label && document.getElementById(label.htmlFor);
    chosenBeforeTap = radio && radio.checked ? radio : null;
  });
  form.addEventListener("click", (event) => {
    if (event.target !== chosenBeforeTap) return;
    chosenBeforeTap.checked = false;
    chosenBeforeTap = null;
    saveDraft();
  });
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
  form.addEventListener("change", (event) => { if (event.target.name === "length") showWhatApplies(); });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const records = read(OUTBOX, []);
    records.push({
      id: idField.value,
      action: form.action || location.pathname,
      fields: fields(),
      school: form.dataset.school,
      date: form.elements["visit_date"].value,
      state: "waiting",
    });
    write(OUTBOX, records);
    localStorage.removeItem(draftKey);
    form.reset();
    showWhatApplies();
    typedSinceSave = false;
    idField.value = newId();
    errorsBox.hidden = true;
    render();
    sendAll();
  });
  // The programme's form may have changed while the tablet was offline: ask for the page
  // again (the service worker keeps the new copy) and offer it if its version differs.
  async function refreshForm() {
    let page;
    try {
      const response = await fetch(location.pathname, { headers: { "X-Visit-Page": "refresh" } });
      if (!response.ok) return;
      page = await response.text();
    } catch {
      return;
    }
    const version = (page.match(/data-form-version="(\d+)"/) || [])[1];
    const notice = document.getElementById("form-changed");
    if (notice && version && version !== form.dataset.formVersion) notice.hidden = false;
  }
  // Asked once the records are sent: asked the moment the tablet says it is online, the
  // network may not answer yet, and the service worker would hand back its old copy.
  window.addEventListener("online", async () => { await sendAll(); refreshForm(); });

  // A draft from before (typed, then the tablet slept or the page was closed) comes back.
  const draft = read(draftKey, null);
  if (draft) restore(draft);
  showWhatApplies();
  if (!idField.value || read(OUTBOX, []).some((r) => r.id === idField.value)) idField.value = newId();
  render();
  if (navigator.onLine) sendAll();

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(form.dataset.serviceWorker, { scope: "/visits/" }).then(async () => {
      const files = [location.pathname,
        ...Array.from(document.querySelectorAll("link[rel=stylesheet], script[src]"), (e) => e.href || e.src)];
      const cache = await caches.open(CACHE);
      await cache.addAll(files);
      document.body.dataset.offlineReady = "yes";
    }).catch(() => { /* no offline copy: the form still works online */ });
  }
})();
