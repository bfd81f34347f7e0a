// The till: scan, pay, print, over the same JSON API every channel uses. No framework, no build step.
(function () {
  "use strict";
  const root = document.getElementById("till");
  if (!root) return;
  const config = JSON.parse(root.dataset.config);
  const S = config.strings;
  const $ = (id) => document.getElementById(id);
  const API = "/api/v1";
  const state = { till: null, cart: null, local: null, tenders: [], method: null, saleKey: null,
                  searchTimer: null, syncing: false, training: false, member: null };
  const OFFLINE = "offline";

  // --- money in minor units: parse what the cashier types, show with two decimals -------------------------
  function toMinor(text) {
    const clean = String(text || "").trim().replace(",", ".");
    if (!/^\d+(\.\d{1,2})?$/.test(clean)) return null;
    const [whole, frac = ""] = clean.split(".");
    return parseInt(whole, 10) * 100 + parseInt((frac + "00").slice(0, 2), 10);
  }
  function show(minor) {
    const sign = minor < 0 ? "-" : "";
    const abs = Math.abs(minor);
    return sign + Math.floor(abs / 100) + "." + String(abs % 100).padStart(2, "0");
  }

  // --- HTTP: cookie session + double-submit CSRF header --------------------------------------------------
  function csrf() {
    const match = document.cookie.match(/(?:^|; )or_csrf=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  async function call(method, path, body, extra) {
    const headers = Object.assign({ "x-csrf-token": csrf() }, extra || {});
    if (body !== undefined) headers["content-type"] = "application/json";
    let response;
    try {
      response = await fetch(path, { method, headers, credentials: "same-origin",
                                     body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      const error = new Error(S.offline);
      error.kind = OFFLINE;
      throw error;
    }
    const type = response.headers.get("content-type") || "";
    const data = type.includes("json") ? await response.json() : await response.text();
    if (!response.ok) {
      const detail = (data && (data.detail || data.title)) || S.error;
      const fields = data && data.errors ? data.errors.map((e) => e.message || e.msg).join("; ") : "";
      const error = new Error(fields ? detail + ": " + fields : detail);
      error.status = response.status;
      throw error;
    }
    return data;
  }
  function status(text, bad) {
    const el = $("till-status");
    el.textContent = text || "";
    el.classList.toggle("bad", !!bad);
  }
  function section(name) {
    for (const id of ["till-open", "till-sale", "till-done", "till-closing", "till-pickup", "till-return"]) {
      $(id).hidden = id !== name;
    }
    $("till-close-drawer").hidden = !(state.till && state.till.drawer_id) || name === "till-closing" || state.training;
  }
  function newKey() {
    return (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).toString();
  }

  // --- offline: the store's items and the queue of sales waiting to sync, in IndexedDB --------------------
  function idb() {
    return new Promise((resolve, reject) => {
      const open = indexedDB.open("omniretail-pos", 1);
      open.onupgradeneeded = () => {
        open.result.createObjectStore("items", { keyPath: "key" });
        open.result.createObjectStore("sales", { keyPath: "key" });
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  }
  async function store(name, mode, work) {
    const db = await idb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      const request = work(tx.objectStore(name));
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  }
  async function cacheItems() {
    try {
      const data = await call("GET", API + "/pos/items?location_id=" + state.till.location_id);
      await store("items", "readwrite", (items) => {
        for (const item of data.items) {
          const record = Object.assign({ location_id: data.location_id }, item);
          items.put(Object.assign({ key: data.location_id + "|" + item.sku }, record));
          if (item.barcode) items.put(Object.assign({ key: data.location_id + "|" + item.barcode }, record));
        }
      });
      root.dataset.cached = String(data.items.length);
    } catch (e) { /* the till still sells online; the cache fills next time */ }
  }
  function localItem(code) {
    return store("items", "readonly", (items) => items.get(state.till.location_id + "|" + code));
  }
  async function queued() { return (await store("sales", "readonly", (sales) => sales.getAll())) || []; }
  async function showQueue() {
    const waiting = (await queued()).filter((s) => s.location_id === (state.till && state.till.location_id));
    const badge = $("till-queue");
    const stuck = waiting.filter((s) => s.error);
    badge.hidden = !waiting.length;
    badge.textContent = S.waiting + ": " + waiting.length + (stuck.length ? " · " + S.attention + ": " +
      stuck.map((s) => s.error).join("; ") : "");
  }
  async function sync() {
    if (state.syncing) return;
    state.syncing = true;
    try {
      for (const sale of await queued()) {
        if (sale.error) continue;
        try {
          await call("POST", API + "/pos/sales", { key: sale.key, location_id: sale.location_id, lines: sale.lines,
                                             tenders: sale.tenders });
          await store("sales", "readwrite", (sales) => sales.delete(sale.key));
        } catch (e) {
          if (e.kind === OFFLINE) break;
          sale.error = e.message;  // refused by the server (e.g. a declined card): a person must look at it
          await store("sales", "readwrite", (sales) => sales.put(sale));
        }
      }
    } finally {
      state.syncing = false;
      await showQueue();
    }
  }
  function goOffline() {
    // Carry on with what the server cart had: same lines, same prices, same sale key.
    if (!state.local) {
      state.local = { lines: (state.cart ? state.cart.lines : []).map((l) => ({ id: l.variant_id,
        variant_id: l.variant_id, sku: l.sku, name: l.name, quantity: l.quantity,
        unit_price_minor: l.unit_price_minor })) };
      state.cart = null;
      if (!state.saleKey) state.saleKey = newKey();
    }
    status(S.offline_mode, true);
  }
  function sale() {
    if (!state.local) return state.cart;
    const lines = state.local.lines;
    const total = lines.reduce((sum, l) => sum + l.unit_price_minor * l.quantity, 0);
    return { lines, totals: { total_minor: total, tax_minor: 0 }, purchasable: lines.length > 0 };
  }

  // --- store and drawer ----------------------------------------------------------------------------------
  function chooseTill() {
    const id = $("till-store").value;
    state.till = config.tills.find((t) => t.location_id === id) || null;
    state.cart = null;
    state.tenders = [];
    if (!state.till) return;
    if (state.till.drawer_id || state.training) { section("till-sale"); render(); $("till-scan").focus(); }
    else { section("till-open"); $("till-float").focus(); }
    cacheItems();
    sync();
  }
  async function openDrawer(event) {
    event.preventDefault();
    const minor = toMinor($("till-float").value);
    if (minor === null) return status(S.float + ": " + S.error, true);
    try {
      const drawer = await call("POST", API + "/pos/sessions", { location_id: state.till.location_id,
        opening_float_minor: minor, currency: state.till.currency });
      state.till.drawer_id = drawer.id;
      status("");
      section("till-sale");
      render();
      $("till-scan").focus();
    } catch (e) { status(e.message, true); }
  }

  // --- the sale ------------------------------------------------------------------------------------------
  async function ensureCart() {
    if (state.cart) return state.cart;
    state.cart = await call("POST", API + "/carts", { channel: state.till.channel,
                                                     location_id: state.till.location_id });
    state.saleKey = newKey();
    return state.cart;
  }
  async function addVariant(variantId) {
    const cart = await ensureCart();
    await call("POST", API + "/carts/" + cart.id + "/lines", { variant_id: variantId, quantity: 1 });
    await refresh();
  }
  async function addLocal(code) {
    const item = await localItem(code);
    if (!item) throw new Error(S.not_cached);
    const line = state.local.lines.find((l) => l.variant_id === item.variant_id);
    if (line) line.quantity += 1;
    else state.local.lines.push({ id: item.variant_id, variant_id: item.variant_id, sku: item.sku,
                                  name: item.name, quantity: 1, unit_price_minor: item.price_minor });
    render();
  }
  async function scan(event) {
    event.preventDefault();
    const input = $("till-scan");
    const code = input.value.trim();
    if (!code) return;
    input.value = "";
    try {
      if (state.local) {
        await addLocal(code);
      } else {
        try {
          const found = await call("GET", API + "/pos/scan?code=" + encodeURIComponent(code));
          await addVariant(found.variant_id);
          status("");
        } catch (e) {
          if (e.kind !== OFFLINE) throw e;
          goOffline();
          await addLocal(code);
        }
      }
    } catch (e) { status(e.message + " (" + code + ")", true); }
    input.focus();
  }
  async function refresh() {
    if (!state.cart) return render();
    state.cart = await call("GET", API + "/carts/" + state.cart.id);
    render();
  }
  async function setQuantity(lineId, quantity) {
    if (state.local) {
      state.local.lines = state.local.lines.map((l) => l.id === lineId ? Object.assign(l, { quantity }) : l)
        .filter((l) => l.quantity > 0);
      state.tenders = [];
      return render();
    }
    try {
      if (quantity <= 0) await call("DELETE", API + "/carts/" + state.cart.id + "/lines/" + lineId);
      else await call("PATCH", API + "/carts/" + state.cart.id + "/lines/" + lineId, { quantity });
      state.tenders = [];
      await refresh();
    } catch (e) { status(e.message, true); }
  }
  async function overridePrice(line) {
    const typed = window.prompt(S.price_prompt + " " + line.name, show(line.unit_price_minor || 0));
    if (typed === null) return;
    const cleaned = typed.trim().replace(",", ".");
    if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) { status(S.set_price + ": " + typed, true); return; }
    const [whole, cents = ""] = cleaned.split(".");
    const amount = parseInt(whole, 10) * 100 + parseInt((cents + "00").slice(0, 2), 10);
    const reason = window.prompt(S.reason_prompt, "");
    if (reason === null) return;
    try {
      await call("PUT", API + "/carts/" + state.cart.id + "/lines/" + line.id + "/price",
                 { amount_minor: amount, reason: reason });
      state.tenders = [];
      await refresh();
      status("");
    } catch (e) { status(e.message, true); }
  }
  function total() { const current = sale(); return current ? current.totals.total_minor : 0; }
  function paid() { return state.tenders.reduce((sum, t) => sum + (t.amount_minor || 0), 0); }
  function render() {
    const body = $("till-lines");
    body.textContent = "";
    const current = sale();
    const lines = current ? current.lines : [];
    if (!lines.length) {
      const row = body.insertRow();
      const cell = row.insertCell();
      cell.colSpan = 4;
      cell.className = "muted";
      cell.textContent = S.empty;
    }
    for (const line of lines) {
      const row = body.insertRow();
      row.dataset.sku = line.sku;
      const name = row.insertCell();
      name.textContent = line.name + " · " + line.sku;
      if (line.override_reason) {
        const byHand = document.createElement("div");
        byHand.className = "muted till-by-hand";
        byHand.textContent = S.price_by_hand + ": " + line.override_reason;
        name.appendChild(byHand);
      }
      if (line.problem_detail) {
        const why = document.createElement("div");
        why.className = "bad";
        why.textContent = line.problem_detail;
        name.appendChild(why);
      }
      const qty = row.insertCell();
      const minus = document.createElement("button");
      minus.type = "button"; minus.textContent = "−"; minus.setAttribute("aria-label", S.remove);
      minus.onclick = () => setQuantity(line.id, line.quantity - 1);
      const count = document.createElement("span");
      count.className = "qty"; count.textContent = String(line.quantity);
      const plus = document.createElement("button");
      plus.type = "button"; plus.textContent = "+"; plus.setAttribute("aria-label", S.add);
      plus.onclick = () => setQuantity(line.id, line.quantity + 1);
      qty.append(minus, count, plus);
      const amount = row.insertCell();
      amount.className = "num";
      amount.textContent = line.unit_price_minor === null ? "—" : show(line.unit_price_minor * line.quantity);
      const drop = row.insertCell();
      if (!state.local && state.cart && state.till && state.till.can_override) {
        const price = document.createElement("button");
        price.type = "button"; price.textContent = "€?"; price.title = S.set_price;
        price.setAttribute("aria-label", S.set_price + ": " + line.name);
        price.className = "till-price";
        price.onclick = () => overridePrice(line);
        drop.appendChild(price);
      }
      if (!state.local) {
        const where = document.createElement("button");
        where.type = "button"; where.textContent = "⌖"; where.title = S.elsewhere;
        where.setAttribute("aria-label", S.elsewhere + ": " + line.name);
        where.className = "till-where";
        where.onclick = () => elsewhere(line);
        drop.appendChild(where);
      }
      const x = document.createElement("button");
      x.type = "button"; x.textContent = "×"; x.setAttribute("aria-label", S.remove);
      x.onclick = () => setQuantity(line.id, 0);
      drop.appendChild(x);
    }
    const adjustments = $("till-adjustments");
    adjustments.textContent = "";
    for (const a of (current && current.adjustments) || []) {
      const item = document.createElement("li");
      item.textContent = a.label + (a.reason ? " (" + a.reason + ")" : "") + ": " + show(a.amount_minor);
      adjustments.appendChild(item);
    }
    $("till-total").textContent = show(total());
    $("till-tax").textContent = current && current.totals.tax_minor
      ? S.tax + " " + show(current.totals.tax_minor) : "";
    document.querySelector('#till-pay [data-method="gift_card"]').disabled = !!state.local;
    const list = $("till-tenders");
    list.textContent = "";
    state.tenders.forEach((t, i) => {
      const item = document.createElement("li");
      item.textContent = S[t.method] + " " + show(t.amount_minor) +
        (t.cash_tendered_minor ? " (" + S.tendered + " " + show(t.cash_tendered_minor) + ")" : "");
      const x = document.createElement("button");
      x.type = "button"; x.textContent = "×"; x.setAttribute("aria-label", S.remove);
      x.onclick = () => { state.tenders.splice(i, 1); render(); };
      item.appendChild(x);
      list.appendChild(item);
    });
    const remaining = Math.max(total() - paid(), 0);
    $("till-remaining").textContent = show(remaining);
    $("till-complete").disabled = !(current && lines.length && current.purchasable && remaining === 0
                                    && state.tenders.length);
  }

  // --- the member being served, coupons and points ----------------------------------------------------------
  async function findMember(event) {
    event.preventDefault();
    const q = $("till-member").value.trim();
    const list = $("till-members");
    list.textContent = "";
    if (!q) return;
    try {
      const found = await call("GET", API + "/customers/lookup?limit=5&q=" + encodeURIComponent(q));
      if (!found.items.length) return status(S.no_member, true);
      for (const m of found.items) {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = [m.given_name + " " + m.family_name, m.phone, m.card_number].filter(Boolean).join(" · ");
        button.onclick = () => chooseMember(m);
        item.appendChild(button);
        list.appendChild(item);
      }
      status("");
    } catch (e) { status(e.message, true); }
  }
  async function chooseMember(m) {
    $("till-members").textContent = "";
    $("till-member").value = "";
    try {
      const cart = await ensureCart();
      state.cart = await call("PUT", API + "/carts/" + cart.id + "/member", { customer_id: m.id });
      state.member = m;
      const account = await call("GET", API + "/loyalty/accounts/" + m.id);
      const card = $("till-member-card");
      card.hidden = false;
      card.textContent = m.given_name + " " + m.family_name + " · " + (account.summary.tier_name || "") + " · " +
        account.summary.available + " " + S.points_available;
      card.dataset.points = String(account.summary.available);
      $("till-points-form").hidden = account.summary.available <= 0;
      state.tenders = [];
      render();
      status("");
    } catch (e) { status(e.message, true); }
  }
  async function applyCoupon(event) {
    event.preventDefault();
    const code = $("till-coupon").value.trim();
    if (!code) return;
    try {
      const cart = await ensureCart();
      await call("POST", API + "/carts/" + cart.id + "/coupons",
                 { code, customer_id: state.member ? state.member.id : null });
      $("till-coupon").value = "";
      state.tenders = [];
      await refresh();
      status("");
    } catch (e) { status(e.message, true); }
  }
  async function redeemPoints(event) {
    event.preventDefault();
    const points = parseInt($("till-points").value, 10);
    if (!state.member || !(points >= 0)) return;
    try {
      await call("PUT", API + "/carts/" + state.cart.id + "/points", { points, customer_id: state.member.id });
      state.tenders = [];
      await refresh();
      status("");
    } catch (e) { status(e.message, true); }
  }

  // --- endless aisle: who else has it -------------------------------------------------------------------
  async function elsewhere(line) {
    const box = $("till-elsewhere");
    box.hidden = false;
    box.textContent = "";
    const title = document.createElement("h3");
    title.textContent = S.elsewhere + ": " + line.name;
    box.appendChild(title);
    try {
      const stores = await call("GET", API + "/pos/stock-elsewhere?location_id=" + state.till.location_id +
                                "&variant_id=" + line.variant_id);
      const list = document.createElement("ul");
      for (const s of stores) {
        const item = document.createElement("li");
        item.textContent = s.name + " (" + s.city + ", " + s.distance_km + " km): " + s.available + " " + S.available_n;
        list.appendChild(item);
      }
      if (!stores.length) {
        const none = document.createElement("p");
        none.textContent = S.elsewhere_none;
        box.appendChild(none);
      }
      box.appendChild(list);
    } catch (e) { status(e.message, true); }
  }

  // --- tenders -------------------------------------------------------------------------------------------
  function pickMethod(method) {
    state.method = method;
    $("till-tender-form").hidden = false;
    const remaining = Math.max(total() - paid(), 0);
    $("till-amount").value = show(remaining);
    const extra = { cash: S.tendered, card: S.card_number, gift_card: S.gift_card_code }[method];
    $("till-extra-name").textContent = extra;
    $("till-extra").value = method === "cash" ? show(remaining) : "";
    $("till-extra").inputMode = method === "gift_card" ? "text" : "numeric";
    $("till-extra").focus();
  }
  function addTender() {
    const amount = toMinor($("till-amount").value);
    const remaining = total() - paid();
    if (amount === null || amount <= 0 || amount > remaining) return status(S.amount + ": " + S.error, true);
    const extra = $("till-extra").value.trim();
    const tender = { method: state.method, amount_minor: amount };
    if (state.method === "cash") {
      const given = toMinor(extra);
      if (given === null || given < amount) return status(S.tendered + ": " + S.error, true);
      tender.cash_tendered_minor = given;
    } else if (state.method === "card") {
      if (!/^\d{12,19}$/.test(extra.replace(/\s/g, ""))) return status(S.card_number + ": " + S.error, true);
      tender.card_number = extra.replace(/\s/g, "");
    } else if (state.method === "gift_card") {
      if (extra.length < 4) return status(S.gift_card_code + ": " + S.error, true);
      tender.gift_card_code = extra;
    }
    state.tenders.push(tender);
    $("till-tender-form").hidden = true;
    status("");
    render();
  }
  function change() {
    return state.tenders.reduce((sum, t) => sum + (t.cash_tendered_minor ? t.cash_tendered_minor - t.amount_minor : 0), 0);
  }
  async function completeOffline(tenders) {
    const lines = state.local.lines;
    const record = { key: "pos-" + state.saleKey, location_id: state.till.location_id,
                     lines: lines.map((l) => ({ variant_id: l.variant_id, quantity: l.quantity })),
                     tenders, total_minor: total(), at: new Date().toISOString() };
    await store("sales", "readwrite", (sales) => sales.put(record));
    const rows = [state.till.name, S.offline_receipt, record.at.slice(0, 16).replace("T", " "), ""];
    for (const l of lines) rows.push(l.name + "  " + l.quantity + " x " + show(l.unit_price_minor) + " = " + show(l.quantity * l.unit_price_minor));
    rows.push("", S.total + ": " + show(record.total_minor));
    for (const t of state.tenders) rows.push(S[t.method] + ": " + show(t.cash_tendered_minor || t.amount_minor));
    if (change() > 0) rows.push(S.change + ": " + show(change()));
    $("till-change").textContent = change() > 0 ? S.change + ": " + show(change()) : "";
    $("till-receipt").textContent = rows.join("\n");
    $("till-receipt").dataset.number = "";
    section("till-done");
    await showQueue();
    $("till-new").focus();
  }
  // Receipt text is for an ESC/POS printer: drop its initialise and cut commands for the screen.
  function onScreen(text) {
    return text.replace(/\x1b@/g, "").replace(/\x1dV[\s\S]?/g, "").replace(/[\x00-\x09\x0b-\x1f]/g, "")
      .replace(/\n+$/, "");
  }
  async function completeTraining(tenders) {
    try {
      const done = await call("POST", API + "/pos/training/sales", { cart_id: state.cart.id,
        tenders: tenders.map((t) => ({ method: t.method, amount_minor: t.amount_minor,
                                       cash_tendered_minor: t.cash_tendered_minor })) });
      $("till-change").textContent = done.change_minor > 0 ? S.change + ": " + show(done.change_minor) : "";
      $("till-receipt").textContent = onScreen(done.receipt_text);
      $("till-receipt").dataset.number = "TRAINING";
      section("till-done");
      $("till-new").focus();
    } catch (e) { status(e.message, true); render(); }
  }
  function toggleTraining() {
    state.training = !state.training;
    document.body.classList.toggle("training", state.training);
    $("till-training").setAttribute("aria-pressed", String(state.training));
    $("till-training-banner").hidden = !state.training;
    nextSale();
    chooseTill();
  }
  async function complete() {
    $("till-complete").disabled = true;
    const tenders = state.tenders.map((t) => {
      const out = { method: t.method, amount_minor: t.amount_minor };
      if (t.cash_tendered_minor) out.cash_tendered_minor = t.cash_tendered_minor;
      if (t.card_number) out.card_number = t.card_number;
      if (t.gift_card_code) out.gift_card_code = t.gift_card_code;
      return out;
    });
    if (state.training) return completeTraining(tenders);
    if (state.local) return completeOffline(tenders);
    try {
      // The same key on a retry (a double tap, a timeout) returns the first order instead of a second one.
      const placed = await call("POST", API + "/carts/" + state.cart.id + "/checkout", { tenders },
                                { "idempotency-key": "pos-" + state.saleKey });
      const receipt = await call("GET", API + "/orders/" + placed.order_id + "/receipt?format=text");
      $("till-change").textContent = change() > 0 ? S.change + ": " + show(change()) : "";
      $("till-receipt").textContent = onScreen(receipt);
      $("till-receipt").dataset.number = placed.number;
      status("");
      section("till-done");
      $("till-new").focus();
    } catch (e) {
      if (e.kind === OFFLINE) {
        // The checkout may or may not have reached the server: queue the sale under the same key, so the
        // sync returns the first order if there was one and makes it if there was not.
        goOffline();
        return completeOffline(tenders);
      }
      status(e.message, true);
      render();
    }
  }
  function nextSale() {
    status("");
    state.member = null;
    $("till-member-card").hidden = true;
    $("till-points-form").hidden = true;
    $("till-members").textContent = "";
    showQueue();
    state.local = null;
    state.cart = null;
    state.tenders = [];
    state.saleKey = null;
    section("till-sale");
    render();
    $("till-scan").focus();
  }

  // --- product search for items without a barcode --------------------------------------------------------
  function search() {
    clearTimeout(state.searchTimer);
    state.searchTimer = setTimeout(async () => {
      const q = $("till-search").value.trim();
      const list = $("till-results");
      list.textContent = "";
      if (q.length < 2) return;
      try {
        const found = await call("GET", API + "/search?limit=6&channel=" + encodeURIComponent(state.till.channel) +
                                 "&q=" + encodeURIComponent(q));
        for (const card of found.items) {
          const page = await call("GET", API + "/channels/" + encodeURIComponent(state.till.channel) +
                                  "/catalog/products/" + card.id);
          for (const v of page.variants) {
            const item = document.createElement("li");
            const button = document.createElement("button");
            button.type = "button";
            const label = Object.values(v.attributes || {}).join(" ");
            button.textContent = card.name + (label ? " · " + label : "") + " · " + v.sku +
              (v.price ? " · " + show(v.price.amount_minor) : "");
            button.onclick = async () => {
              list.textContent = "";
              $("till-search").value = "";
              try { await addVariant(v.id); status(""); } catch (e) { status(e.message, true); }
              $("till-scan").focus();
            };
            item.appendChild(button);
            list.appendChild(item);
          }
        }
      } catch (e) { status(e.message, true); }
    }, 200);
  }

  // --- click and collect: hand an order over by its code ---------------------------------------------------
  function startPickup() {
    section("till-pickup");
    $("till-pickup-done").hidden = true;
    $("till-pickup-code").value = "";
    $("till-pickup-name").value = "";
    $("till-pickup-code").focus();
  }
  async function handOver(event) {
    event.preventDefault();
    try {
      const done = await call("POST", API + "/fulfillment/pickups/handover",
                              { code: $("till-pickup-code").value.trim(), name: $("till-pickup-name").value.trim() });
      const box = $("till-pickup-done");
      box.hidden = false;
      box.textContent = S.handed_over + ": " + done.order_number;
      box.dataset.order = done.order_number;
      $("till-pickup-code").value = "";
      $("till-pickup-name").value = "";
      status("");
    } catch (e) { status(e.message, true); }
  }
  function leavePickup() {
    if (!state.till) return;
    section(state.till.drawer_id || state.training ? "till-sale" : "till-open");
  }

  // --- returns: an order from any channel, taken back at this store -----------------------------------------
  const REASONS = ["changed_mind", "wrong_size", "wrong_shade", "damaged_in_transit", "not_as_described", "other"];
  const CONDITIONS = ["resellable", "opened", "damaged"];
  function startReturn() {
    section("till-return");
    state.returning = null;
    $("till-return-form").hidden = true;
    $("till-return-done").hidden = true;
    $("till-return-number").value = "";
    $("till-return-number").focus();
  }
  function choice(values, prefix) {
    const select = document.createElement("select");
    for (const value of values) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = S[prefix + value] || value;
      select.appendChild(option);
    }
    return select;
  }
  async function findReturnOrder(event) {
    event.preventDefault();
    try {
      const order = await call("GET", API + "/pos/returnable-orders/" +
                               encodeURIComponent($("till-return-number").value.trim()));
      state.returning = order;
      const body = $("till-return-lines");
      body.textContent = "";
      for (const line of order.lines) {
        const row = body.insertRow();
        row.dataset.variant = line.variant_id;
        row.dataset.sku = line.sku;
        row.insertCell().textContent = line.name + " · " + line.sku + " · " + show(line.unit_price_minor);
        const qty = document.createElement("input");
        qty.type = "number"; qty.min = "0"; qty.max = String(line.quantity); qty.value = "0";
        qty.className = "till-return-qty"; qty.setAttribute("aria-label", S.quantity + ": " + line.name);
        row.insertCell().appendChild(qty);
        const reason = choice(REASONS, "reason_"); reason.className = "till-return-reason";
        row.insertCell().appendChild(reason);
        const condition = choice(CONDITIONS, "condition_"); condition.className = "till-return-condition";
        row.insertCell().appendChild(condition);
      }
      $("till-return-form").hidden = false;
      status("");
    } catch (e) { status(e.message, true); }
  }
  async function takeBack(event) {
    event.preventDefault();
    const rows = Array.from($("till-return-lines").rows)
      .map((row) => ({ variant_id: row.dataset.variant,
                       quantity: parseInt(row.querySelector(".till-return-qty").value, 10) || 0,
                       reason: row.querySelector(".till-return-reason").value,
                       condition: row.querySelector(".till-return-condition").value }))
      .filter((line) => line.quantity > 0);
    if (!rows.length) return status(S.quantity + ": " + S.error, true);
    try {
      const opened = await call("POST", API + "/returns", {
        order_id: state.returning.order_id, via: "store", location_id: state.till.location_id,
        refund_method: $("till-return-method").value, lines: rows });
      const done = await call("POST", API + "/returns/" + opened.id + "/receive", {
        location_id: state.till.location_id,
        lines: rows.map((line) => ({ variant_id: line.variant_id, condition: line.condition })) });
      const box = $("till-return-done");
      box.hidden = false;
      box.dataset.rma = done.rma;
      box.textContent = done.rma + " · " + S.refunded + ": " + show(done.refund_minor);
      $("till-return-form").hidden = true;
      status("");
    } catch (e) { status(e.message, true); }
  }

  // --- closing the drawer --------------------------------------------------------------------------------
  function startClose() {
    section("till-closing");
    $("till-z").hidden = true;
    $("till-counted").focus();
  }
  async function closeDrawer(event) {
    event.preventDefault();
    const counted = toMinor($("till-counted").value);
    if (counted === null) return status(S.counted + ": " + S.error, true);
    try {
      const z = await call("POST", API + "/pos/sessions/" + state.till.drawer_id + "/close",
                           { counted_minor: counted });
      const rows = [S.z_report, state.till.name, z.opened_at + " – " + z.closed_at, ""];
      rows.push(S.float + ": " + show(z.opening_float_minor));
      for (const [method, t] of Object.entries(z.tenders)) rows.push((S[method] || method) + " ×" + t.count + ": " + show(t.amount_minor));
      rows.push(S.expected + ": " + show(z.expected_cash_minor));
      rows.push(S.counted + ": " + show(z.counted_cash_minor));
      rows.push(S.over_short + ": " + show(z.over_short_minor));
      $("till-z").textContent = rows.join("\n");
      $("till-z").hidden = false;
      state.till.drawer_id = null;
      $("till-close-form").hidden = true;
      $("till-close-drawer").hidden = true;
      status("");
    } catch (e) { status(e.message, true); }
  }

  // --- wiring ----------------------------------------------------------------------------------------------
  $("till-store").addEventListener("change", chooseTill);
  $("till-training").addEventListener("click", toggleTraining);
  $("till-member-form").addEventListener("submit", findMember);
  $("till-pickup-open").addEventListener("click", startPickup);
  $("till-return-open").addEventListener("click", startReturn);
  $("till-return-find").addEventListener("submit", findReturnOrder);
  $("till-return-form").addEventListener("submit", takeBack);
  $("till-return-cancel").addEventListener("click", leavePickup);
  $("till-pickup-form").addEventListener("submit", handOver);
  $("till-pickup-cancel").addEventListener("click", leavePickup);
  $("till-coupon-form").addEventListener("submit", applyCoupon);
  $("till-points-form").addEventListener("submit", redeemPoints);
  $("till-open-form").addEventListener("submit", openDrawer);
  $("till-scan-form").addEventListener("submit", scan);
  $("till-search").addEventListener("input", search);
  $("till-search-form").addEventListener("submit", (e) => e.preventDefault());
  document.querySelectorAll("#till-pay [data-method]").forEach((b) => b.addEventListener("click", () => pickMethod(b.dataset.method)));
  $("till-add-tender").addEventListener("click", addTender);
  $("till-complete").addEventListener("click", complete);
  $("till-print").addEventListener("click", () => window.print());
  $("till-new").addEventListener("click", nextSale);
  $("till-close-drawer").addEventListener("click", startClose);
  $("till-close-form").addEventListener("submit", closeDrawer);
  $("till-close-cancel").addEventListener("click", () => section(state.till.drawer_id ? "till-sale" : "till-open"));
  window.addEventListener("online", sync);
  setInterval(sync, 5000);
  if (config.tills.length) chooseTill();
})();
