// The live map: the city's own base layer (districts, rivers, roads, towns, grid cells; no network needed), every
// device as an icon on one canvas (clustered at low zoom), a ring per open alert, the open incidents; a legend and
// layers that are switched on and off (remembered in this browser). Clicking a place offers the cameras that see it
// and an incident there, or, while the incident board asks for a place ("pick a place"), gives that place to the board.
// Popups, tooltips, the legend and the layer switches are built from DOM nodes with textContent: device ids, alert
// titles (device-sent text, camera names) are data, never markup. Every word shown comes from the page (settings.text)
// in the screen's language.
window.liveMap = {
  map: null,
  devices: new Map(),
  alerts: new Map(),
  incidents: new Map(),
  routes: new Map(),
  picking: null,
  picked: null,
  caller: null,
  text: null,
  settings: null,
  layers: null,
  layerNames: ["base", "grid", "handhelds", "sensors", "cameras", "alerts", "incidents"],
  storageKey: "liveMap.layers",

  // False when there is nothing to draw into: the page was left while its first render was on its way (a click
  // from the live page to the video wall), and its map element is gone.
  init(elementId, settings, caller) {
    if (!window.L || !document.getElementById(elementId)) return false;
    this.settings = settings;
    this.text = settings.text;
    this.caller = caller || null;
    this.layers = this.loadLayers();
    this.map = L.map(elementId, { preferCanvas: true }).setView([settings.lat, settings.lon], settings.zoom);
    if (settings.tileUrl) {
      L.tileLayer(settings.tileUrl, { maxZoom: 19, attribution: settings.attribution || "" }).addTo(this.map);
    }
    this.baseLayer = new BaseLayer(this).addTo(this.map);
    this.deviceLayer = new DeviceDots(this).addTo(this.map);
    this.alertGroup = L.layerGroup();
    this.incidentGroup = L.layerGroup();
    if (this.layers.alerts) this.alertGroup.addTo(this.map);
    if (this.layers.incidents) this.incidentGroup.addTo(this.map);
    this.devices.clear();
    this.alerts.clear();
    this.incidents.clear();
    this.routes.clear();
    this.picking = null;
    this.picked = null;
    this.addLayerSwitches();
    this.addLegend();
    this.addTooltip();
    if (settings.baseUrl) this.loadBase(settings.baseUrl);
    // Leaflet pans an opening popup into view, but not out from under the legend and the layer switches, which sit
    // above every pane: an Acknowledge button under the legend cannot be pressed. Once its own pan ends, move it clear.
    this.moving = false;
    this.map.on("movestart", () => { this.moving = true; });
    this.map.on("moveend", () => { this.moving = false; });
    this.map.on("popupopen", e => this.moving ? this.map.once("moveend", () => this.clearOfControls(e.popup)) : this.clearOfControls(e.popup));
    this.map.on("click", e => {
      const { lat, lng } = e.latlng;
      if (this.picking) {
        const caller = this.picking.caller;
        this.cancelPick(false);
        this.showPicked(lat, lng);
        caller.invokeMethodAsync("PlacePicked", lat, lng);
        return;
      }
      const hit = this.deviceLayer.hitAt(e.containerPoint);
      if (hit && hit.cluster) { this.zoomInto(hit.cluster); return; }
      if (hit) { this.openDevicePopup(hit.key); return; }
      const content = this.popup([
        this.link(`wall?lat=${lat.toFixed(6)}&lon=${lng.toFixed(6)}`, this.text.camerasHere),
        this.settings.mayOpenIncident ? this.element("br") : null,
        this.settings.mayOpenIncident ? this.button(this.text.openIncident, "open-incident-here", () => this.openIncident(lat, lng, null)) : null,
      ]);
      L.popup().setLatLng(e.latlng).setContent(content).openOn(this.map);
    });
    return true;
  },

  /** Pans the map sideways so an open popup no longer lies under a control of the map (legend, layer switches). */
  clearOfControls(popup) {
    const element = popup.getElement();
    if (!this.map || !element || !this.map.hasLayer(popup)) return;
    const box = element.getBoundingClientRect();
    const map = this.map.getContainer().getBoundingClientRect();
    let shift = 0;
    for (const control of this.map.getContainer().querySelectorAll(".map-legend, .map-layers")) {
      const c = control.getBoundingClientRect();
      if (c.right <= box.left || c.left >= box.right || c.bottom <= box.top || c.top >= box.bottom) continue;
      const onTheLeft = c.left - map.left < map.right - c.right;
      shift = onTheLeft ? Math.max(shift, c.right - box.left + 8) : Math.min(shift, c.left - box.right - 8);
    }
    if (shift) this.map.panBy([-shift, 0]);
  },

  /** The base layer's GeoJSON from the server this page came from: no outside URL, so it draws with the network cut. */
  async loadBase(url) {
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`${response.status} ${url}`);
      this.baseLayer.setFeatures((await response.json()).features || []);
    } catch (error) {
      console.warn("base map not loaded:", error.message);
    }
  },

  // ---- layers ----

  /** Which layers are on: all at first, then as this browser last left them. */
  loadLayers() {
    const layers = Object.fromEntries(this.layerNames.map(name => [name, true]));
    try {
      const stored = JSON.parse(localStorage.getItem(this.storageKey) || "{}");
      for (const name of this.layerNames) if (typeof stored[name] === "boolean") layers[name] = stored[name];
    } catch { /* a damaged entry: all on */ }
    return layers;
  },

  setLayer(name, on) {
    if (!this.map || !(name in this.layers)) return;
    this.layers[name] = !!on;
    try { localStorage.setItem(this.storageKey, JSON.stringify(this.layers)); } catch { /* private mode: not remembered */ }
    const input = this.map.getContainer().querySelector(`.map-layers input[data-layer="${name}"]`);
    if (input) input.checked = !!on;
    if (name === "alerts") on ? this.alertGroup.addTo(this.map) : this.alertGroup.remove();
    else if (name === "incidents") on ? this.incidentGroup.addTo(this.map) : this.incidentGroup.remove();
    else if (name === "base" || name === "grid") this.baseLayer.redraw();
    else this.deviceLayer.redraw();
    this.map.closePopup();
  },

  /** The layer the switch of a device kind is named by. */
  layerOf(kind) {
    return { handheld: "handhelds", sensor: "sensors", camera: "cameras" }[kind] || "handhelds";
  },

  addLayerSwitches() {
    const control = L.control({ position: "topright" });
    control.onAdd = () => {
      const box = this.element("details", null, "map-layers");
      box.open = true;
      box.append(this.element("summary", this.text.layersTitle));
      for (const name of this.layerNames) {
        const label = this.element("label");
        const input = this.element("input");
        input.type = "checkbox";
        input.checked = this.layers[name];
        input.dataset.layer = name;
        input.addEventListener("change", () => this.setLayer(name, input.checked));
        label.append(input, document.createTextNode(this.text.layers[name]));
        box.append(label);
      }
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(this.map);
  },

  addLegend() {
    const control = L.control({ position: "bottomleft" });
    control.onAdd = () => {
      const box = this.element("details", null, "map-legend");
      box.open = true;
      box.append(this.element("summary", this.text.legendTitle));
      const row = (swatch, text) => { const r = this.element("div", null, "row"); r.append(swatch, this.element("span", text)); return r; };
      const swatch = (className, colour) => {
        const s = this.element("span", null, `swatch ${className}`);
        if (colour) s.style.background = colour;
        return s;
      };
      for (const kind of ["handheld", "sensor", "camera"]) box.append(row(swatch(`kind-${kind}`), this.text.kinds[kind]));
      box.append(row(swatch("cluster"), this.text.cluster.replace("{0}", "n")));
      box.append(this.element("h4", this.text.severityTitle));
      for (const severity of ["critical", "major", "minor", "warning"]) {
        box.append(row(swatch("ring", null), this.text.severities[severity]));
        box.lastChild.firstChild.style.borderColor = this.severityColour(severity);
      }
      box.append(this.element("h4", this.text.aqiTitle));
      for (let level = 1; level <= 6; level++) box.append(row(swatch("aqi", this.aqiLevels[level].colour), this.aqiName(level)));
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(this.map);
  },

  // ---- hover labels ----

  addTooltip() {
    const container = this.map.getContainer();
    this.tooltip = this.element("div", null, "map-tooltip");
    this.tooltip.setAttribute("role", "tooltip");
    this.tooltip.hidden = true;
    container.append(this.tooltip);
    let pending = null;
    let frame = 0;
    this.map.on("mousemove", e => {
      pending = e.containerPoint;
      if (!frame) frame = requestAnimationFrame(() => { frame = 0; this.hover(pending); });
    });
    this.map.on("mouseout movestart zoomstart", () => { this.tooltip.hidden = true; });
  },

  /** The label of what is under the pointer: a device's kind and id, or a cluster's count. */
  hover(point) {
    const hit = this.deviceLayer.hitAt(point);
    if (!hit) { this.tooltip.hidden = true; this.map.getContainer().classList.remove("over-device"); return; }
    if (hit.cluster) {
      this.tooltip.textContent = this.text.cluster.replace("{0}", String(hit.cluster.count));
    } else {
      const device = this.device(hit.key);
      this.tooltip.replaceChildren(this.element("span", this.text.kinds[device.kind] || device.kind, "kind"), document.createTextNode(" "),
        this.element("b", device.id));
    }
    this.tooltip.style.left = `${Math.round(point.x + 12)}px`;
    this.tooltip.style.top = `${Math.round(point.y + 12)}px`;
    this.tooltip.hidden = false;
    this.map.getContainer().classList.add("over-device");
  },

  /** A cluster clicked: the view closes in on it until its devices stand apart. */
  zoomInto(cluster) {
    const zoom = Math.max(this.map.getZoom() + 2, Math.min(this.settings.clusterBelowZoom, this.map.getMaxZoom()));
    this.map.setView([cluster.lat, cluster.lon], zoom);
  },

  // ---- pick a place ----

  /**
   * One-shot "pick a place": the map's next click goes to the caller's PlacePicked(lat, lon) instead of offering
   * cameras. A cue over the map says so; Esc cancels (the caller hears PickCancelled).
   */
  pickPlace(caller, cue) {
    if (!this.map) return;
    this.cancelPick(false);
    const container = this.map.getContainer();
    const banner = this.element("div", cue, "map-pick-cue");
    banner.setAttribute("role", "status");
    // A click on the cue is not a click on the map beneath it.
    L.DomEvent.disableClickPropagation(banner);
    container.append(banner);
    container.classList.add("picking");
    const onKey = e => { if (e.key === "Escape") this.cancelPick(true); };
    document.addEventListener("keydown", onKey);
    this.map.closePopup();
    this.picking = { caller, banner, onKey };
  },

  cancelPick(tell) {
    const picking = this.picking;
    if (!picking) return;
    this.picking = null;
    picking.banner.remove();
    this.map.getContainer().classList.remove("picking");
    document.removeEventListener("keydown", picking.onKey);
    if (tell) picking.caller.invokeMethodAsync("PickCancelled");
  },

  /** The place set in the open-incident form, marked until the incident is opened or the form closed. */
  showPicked(lat, lon) {
    if (!this.map) return;
    if (!this.picked) {
      this.picked = L.circleMarker([lat, lon], { radius: 10, color: "#ffffff", weight: 2, dashArray: "4 3", fill: false, className: "picked-place" })
        .addTo(this.map);
    } else {
      this.picked.setLatLng([lat, lon]);
    }
  },

  clearPicked() {
    if (this.picked) { this.picked.remove(); this.picked = null; }
  },

  // ---- actions ----

  /** "Open an incident here": the page's incident form opens with this place (and alert). */
  openIncident(lat, lon, alertId) {
    if (!this.caller) return;
    this.map.closePopup();
    this.caller.invokeMethodAsync("OpenIncident", lat, lon, alertId);
  },

  /** Acknowledges through the page (the operator's own sign-in); the button becomes the word once it is done. */
  async acknowledge(alertId, button) {
    if (!this.caller) return false;
    button.disabled = true;
    const done = await this.caller.invokeMethodAsync("Acknowledge", alertId);
    if (done) button.replaceWith(this.element("span", this.text.acknowledged, "acknowledged"));
    else button.disabled = false;
    return done;
  },

  // ---- DOM ----

  /** An element with text only; children are appended as nodes. */
  element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  },

  link(href, text) {
    const a = this.element("a", text);
    a.href = href;
    return a;
  },

  button(text, className, onClick) {
    const b = this.element("button", text, className);
    b.type = "button";
    b.addEventListener("click", e => { e.stopPropagation(); onClick(b); });
    return b;
  },

  /** A popup's content: strings become text nodes, nodes are kept, null is skipped. */
  popup(parts) {
    const div = this.element("div", null, "map-popup");
    for (const part of parts) {
      if (part === null || part === undefined) continue;
      div.append(typeof part === "string" ? document.createTextNode(part) : part);
    }
    L.DomEvent.disableClickPropagation(div);
    return div;
  },

  devicePopup(device) {
    return this.popup([
      `${this.text.kinds[device.kind] || device.kind} `,
      this.element("b", device.id),
      ` · ${device.online ? this.text.online : this.text.offline}`,
      device.aqiLevel ? ` · AQI ${this.aqiName(device.aqiLevel)}` : null,
      device.kind === "camera" ? this.element("br") : null,
      device.kind === "camera" ? this.link(`wall?camera=${encodeURIComponent(device.id)}`, this.text.openOnWall) : null,
      device.kind === "sensor" ? this.element("br") : null,
      device.kind === "sensor" ? this.link(`sensors/${encodeURIComponent(device.id)}`, this.text.charts) : null,
      this.element("br"),
      this.link(`wall?lat=${device.lat.toFixed(6)}&lon=${device.lon.toFixed(6)}`, this.text.camerasHere),
    ]);
  },

  alertPopup(alert) {
    const mayAck = this.settings.mayAcknowledge && !alert.acknowledged;
    return this.popup([
      this.element("b", this.text.severities[alert.severity] || alert.severity),
      " ",
      this.element("span", alert.title, "title"),
      alert.acknowledged ? this.element("span", ` · ${this.text.acknowledged}`, "acknowledged") : null,
      this.element("br"),
      this.link(`wall?alert=${encodeURIComponent(alert.id)}`, this.text.cameras),
      mayAck ? " " : null,
      mayAck ? this.button(this.text.acknowledge, "ack", b => this.acknowledge(alert.id, b)) : null,
      this.settings.mayOpenIncident ? " " : null,
      this.settings.mayOpenIncident ? this.button(this.text.openIncident, "open-incident-here", () => this.openIncident(alert.lat, alert.lon, alert.id)) : null,
    ]);
  },

  incidentPopup(incident) {
    return this.popup([
      this.element("b", incident.level),
      " ",
      this.element("span", incident.title, "title"),
      this.element("br"),
      incident.units.length ? incident.units.map(u => `${u.id} ${u.status}`).join(" · ") : null,
    ]);
  },

  levelColour(colour) {
    return { red: "#e5484d", orange: "#f76b15", yellow: "#ffc53d", blue: "#3e9bff" }[colour] || "#dfe7f3";
  },

  severityColour(severity) {
    return { critical: "#e5484d", major: "#f76b15", minor: "#ffc53d", warning: "#3e9bff" }[severity] || "#e5484d";
  },

  /** Open incidents, each with a straight route line from every unit on its way (not a road route). */
  showIncidents(incidents) {
    if (!this.map) return;
    const open = new Set(incidents.map(i => i.id));
    for (const [id, marker] of this.incidents) if (!open.has(id)) { this.incidentGroup.removeLayer(marker); this.incidents.delete(id); }
    for (const line of this.routes.values()) this.incidentGroup.removeLayer(line);
    this.routes.clear();
    for (const incident of incidents) {
      const icon = L.divIcon({ className: `incident-marker level-${incident.colour}`, iconSize: [20, 20] });
      let marker = this.incidents.get(incident.id);
      if (!marker) {
        marker = L.marker([incident.lat, incident.lon], { icon, keyboard: false, title: "" })
          .bindPopup(layer => this.incidentPopup(layer.incident));
        this.incidentGroup.addLayer(marker);
        this.incidents.set(incident.id, marker);
      } else {
        marker.setIcon(icon);
      }
      marker.getElement()?.setAttribute("data-incident", incident.id);
      marker.incident = incident;
      for (const unit of incident.units) {
        const line = L.polyline([[unit.lat, unit.lon], [incident.lat, incident.lon]],
          { color: this.levelColour(incident.colour), weight: 3, dashArray: "6 6", className: "route-line" });
        this.incidentGroup.addLayer(line);
        this.routes.set(`${incident.id}/${unit.id}`, line);
      }
    }
  },

  /** HJ 633-2012 levels 1–6 with the standard's colours; index 0: no AQI. Names come from the page's text. */
  aqiLevels: [null,
    { colour: "#00E400" }, { colour: "#FFFF00" }, { colour: "#FF7E00" },
    { colour: "#FF0000" }, { colour: "#99004C" }, { colour: "#7E0023" }],

  aqiName(level) {
    return this.text.aqiLevels[level - 1];
  },

  /** The AQI level (0–6) in a device's flags (bits 4–6). */
  aqiLevelOf(flags) {
    return (flags >> 4) & 7;
  },

  kindColours: { handheld: "#3e9bff", sensor: "#30a46c", camera: "#a855f7" },

  /** A device's colour from its kind and flags: grey offline, red over a limit, a sensor's AQI level, else its kind's. */
  colourOf(kind, flags) {
    if (!(flags & 1)) return "#6b7280";
    if (flags & 2) return "#e5484d";
    const level = (flags >> 4) & 7;
    if (level) return this.aqiLevels[level].colour;
    return this.kindColours[kind] || "#dfe7f3";
  },

  colour(device) {
    return this.colourOf(device.kind, (device.online ? 1 : 0) | (device.exceeded ? 2 : 0) | (device.aqiLevel << 4));
  },

  radius(kind) {
    return kind === "handheld" ? 5 : 7;
  },

  /**
   * One push's device changes: `added` numbers devices seen for the first time ({index, key, kind, id, view}; a
   * camera's view is [heading, field of view, range in metres]); `records` (bytes) holds four float32 per changed
   * device: number, latitude, longitude, flags (1 online, 2 exceeded, 4 gone, bits 4–6 a sensor's AQI level).
   * The devices live in arrays indexed by number and are drawn by one canvas layer, so a push costs a copy into the
   * arrays and one redraw in the next animation frame, not a Leaflet layer per device.
   */
  applyDevices(added, records) {
    if (!this.map) return;
    const layer = this.deviceLayer;
    for (const device of added) {
      layer.keys[device.index] = device.key;
      layer.kinds[device.index] = device.kind;
      layer.ids[device.index] = device.id;
      layer.views[device.index] = device.view || null;
    }
    layer.reserve(layer.keys.length);
    if (records) {
      // A copy, so the view starts on a 4-byte boundary whatever offset the bytes arrived at.
      const values = new Float32Array(records.slice().buffer);
      for (let r = 0; r + 3 < values.length; r += 4) {
        const index = values[r];
        const flags = values[r + 3];
        const key = layer.keys[index];
        if (flags & 4) {
          layer.flags[index] = 0;
          this.devices.delete(key);
          continue;
        }
        layer.lat[index] = values[r + 1];
        layer.lon[index] = values[r + 2];
        layer.flags[index] = flags | 8; // 8: on the map
        this.devices.set(key, index);
      }
    }
    layer.redraw();
  },

  /** How many devices the map holds. */
  deviceCount() {
    return this.devices.size;
  },

  /** The device as a popup shows it, from the map's own arrays; null when the map does not hold it. */
  device(key) {
    const index = this.devices.get(key);
    if (index === undefined) return null;
    const layer = this.deviceLayer;
    const flags = layer.flags[index];
    return { key, kind: layer.kinds[index], id: layer.ids[index], lat: layer.lat[index], lon: layer.lon[index], online: !!(flags & 1), exceeded: !!(flags & 2), aqiLevel: this.aqiLevelOf(flags), view: layer.views[index] };
  },

  /** Opens the device's popup, as a click on its icon does; returns the popup's element. */
  openDevicePopup(key) {
    const device = this.device(key);
    if (!device) return null;
    const popup = L.popup({ offset: [0, -this.radius(device.kind)] }).setLatLng([device.lat, device.lon])
      .setContent(this.devicePopup(device)).openOn(this.map);
    return popup.getElement();
  },

  /** The device whose icon is under a point of the map's container (the one drawn on top); null if none or a cluster. */
  deviceAt(point) {
    const hit = this.deviceLayer.hitAt(point);
    return hit && !hit.cluster ? hit.key : null;
  },

  /** What the last drawing put on the map, for a screen's own checks: counts per base layer class, devices, clusters, cones. */
  drawn() {
    return { base: { ...this.baseLayer.drawn }, ...this.deviceLayer.drawn, layers: { ...this.layers } };
  },

  showAlerts(alerts) {
    if (!this.map) return;
    const open = new Set(alerts.map(a => a.id));
    for (const [id, ring] of this.alerts) if (!open.has(id)) { this.alertGroup.removeLayer(ring); this.alerts.delete(id); }
    for (const alert of alerts) {
      let ring = this.alerts.get(alert.id);
      if (!ring) {
        ring = L.circleMarker([alert.lat, alert.lon], { radius: 16, weight: 3, fill: false, className: "alert-ring" })
          .bindPopup(layer => this.alertPopup(layer.alert));
        this.alertGroup.addLayer(ring);
        this.alerts.set(alert.id, ring);
      }
      ring.setStyle({ color: this.severityColour(alert.severity), dashArray: alert.acknowledged ? "4 4" : null });
      // The popup reads the latest title and state when it opens.
      ring.alert = alert;
    }
  },
};

/** Web Mercator as Leaflet's default CRS computes it, inlined: no object per point per frame. */
const project = (lat, lon, scale, corner) => {
  const sin = Math.sin(Math.max(Math.min(lat, 85.0511287798), -85.0511287798) * Math.PI / 180);
  return [scale * (lon + 180) / 360 - corner.x, scale * (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) - corner.y];
};

/**
 * A canvas in its own pane of the map, kept at the view's corner, redrawn (once per animation frame at most) when the
 * view settles and hidden while a zoom animates. The base layer and the device layer are both one of these.
 */
const CanvasLayer = window.L && L.Layer.extend({
  paneName: "", paneZ: 0, canvasClass: "",

  onAdd(map) {
    const pane = map.getPane(this.paneName) || map.createPane(this.paneName);
    pane.style.zIndex = this.paneZ;
    pane.style.pointerEvents = "none";
    this.canvas = L.DomUtil.create("canvas", this.canvasClass, pane);
    this.canvas.setAttribute("aria-hidden", "true");
    map.on("moveend zoomend resize viewreset", this.redraw, this);
    map.on("zoomstart", this.hide, this);
    this.redraw();
  },

  onRemove(map) {
    map.off("moveend zoomend resize viewreset", this.redraw, this);
    map.off("zoomstart", this.hide, this);
    if (this.frame) cancelAnimationFrame(this.frame);
    this.canvas.remove();
  },

  hide() {
    this.canvas.style.visibility = "hidden";
  },

  /** Draws in the next animation frame; any number of pushes and view changes before it cost one drawing. */
  redraw() {
    if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  },

  /** Sizes and places the canvas for the view; returns its context, cleared, in CSS pixels. */
  begin(map) {
    const size = map.getSize();
    const ratio = window.devicePixelRatio || 1;
    const canvas = this.canvas;
    if (canvas.width !== size.x * ratio || canvas.height !== size.y * ratio) {
      canvas.width = size.x * ratio;
      canvas.height = size.y * ratio;
      canvas.style.width = `${size.x}px`;
      canvas.style.height = `${size.y}px`;
    }
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
    canvas.style.visibility = "";
    const context = canvas.getContext("2d");
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, size.x, size.y);
    return context;
  },
});

/**
 * The shipped base layer: district outlines, grid cells, rivers, roads and town labels from the server's GeoJSON,
 * in the colours map.css gives the map's container (dark on the wall, light on a light page). Over the city's tiles
 * when Map:TileUrl is set, as outlines only.
 */
const BaseLayer = window.L && CanvasLayer.extend({
  paneName: "basePane", paneZ: 250, canvasClass: "base-map",

  initialize(owner) {
    this.owner = owner;
    this.features = [];
    this.drawn = { features: 0 };
  },

  setFeatures(features) {
    this.features = features;
    this.redraw();
  },

  style(name) {
    return getComputedStyle(this._map.getContainer()).getPropertyValue(name).trim();
  },

  draw() {
    const map = this._map;
    if (!map) return;
    const context = this.begin(map);
    const drawn = { features: this.features.length };
    this.drawn = drawn;
    const layers = this.owner.layers;
    if (!layers.base && !layers.grid) return;
    const scale = 256 * Math.pow(2, map.getZoom());
    const corner = map.getPixelBounds().min;
    const size = map.getSize();
    const tiles = !!this.owner.settings.tileUrl;
    const path = coordinates => {
      context.beginPath();
      coordinates.forEach(([lon, lat], i) => {
        const [x, y] = project(lat, lon, scale, corner);
        i ? context.lineTo(x, y) : context.moveTo(x, y);
      });
    };
    const count = name => { drawn[name] = (drawn[name] || 0) + 1; };
    const order = { grid: 0, district: 1, river: 2, highway: 3, expressway: 4, town: 5 };
    const sorted = [...this.features].sort((a, b) => (order[a.properties.layer] ?? 9) - (order[b.properties.layer] ?? 9));
    const labels = [];
    for (const feature of sorted) {
      const layer = feature.properties.layer;
      if (layer === "grid" ? !layers.grid : !layers.base) continue;
      const geometry = feature.geometry;
      if (layer === "grid" || layer === "district") {
        path(geometry.coordinates[0]);
        if (layer === "district" && !tiles) { context.fillStyle = this.style("--map-district-fill"); context.fill(); }
        context.lineWidth = layer === "grid" ? 0.5 : 2;
        context.setLineDash(layer === "grid" ? [] : [8, 4]);
        context.strokeStyle = this.style(layer === "grid" ? "--map-grid" : "--map-outline");
        context.stroke();
        context.setLineDash([]);
        count(layer);
      } else if (geometry.type === "LineString") {
        path(geometry.coordinates);
        context.lineJoin = "round";
        context.lineWidth = layer === "river" ? 4 : layer === "expressway" ? 3 : 2;
        context.strokeStyle = this.style(`--map-${layer}`);
        context.stroke();
        count(layer);
        const middle = geometry.coordinates[Math.floor(geometry.coordinates.length / 2)];
        labels.push([project(middle[1], middle[0], scale, corner), feature.properties.name, "--map-line-label", 12]);
      } else if (geometry.type === "Point") {
        const [x, y] = project(geometry.coordinates[1], geometry.coordinates[0], scale, corner);
        context.beginPath();
        context.arc(x, y, 4, 0, Math.PI * 2);
        context.fillStyle = this.style("--map-town");
        context.fill();
        count(layer);
        labels.push([[x + 7, y - 7], feature.properties.name, "--map-label", 15]);
      }
    }
    // Labels last, over every line, with a halo so they read on any ground; canvas text is never markup.
    context.lineWidth = 3;
    context.strokeStyle = this.style("--map-halo");
    for (const [[x, y], name, colour, px] of labels) {
      if (x < -200 || y < -50 || x > size.x + 50 || y > size.y + 50) continue;
      context.font = `${px}px system-ui, "Noto Sans CJK SC", sans-serif`;
      context.strokeText(name, x, y);
      context.fillStyle = this.style(colour);
      context.fillText(name, x, y);
    }
  },
});

/**
 * Every device as an icon on one canvas over the base layer, from typed arrays indexed by the device's number:
 * handhelds as dots, sensors as squares in their AQI colour, cameras as a diamond with their view cone, drawn last so
 * no sensor hides a camera. Below Map:ClusterBelowZoom, handhelds and sensors close together on the screen (one cell of
 * a screen grid) are one circle with their count; cameras are never folded in. Icons of one shape and colour are one
 * path: a few fills per frame, not one per device. What was drawn where is kept for clicks and hover labels.
 */
const DeviceDots = window.L && CanvasLayer.extend({
  paneName: "devicePane", paneZ: 390, canvasClass: "device-dots", // over the base, under alert rings, incidents, popups
  cell: 48,

  initialize(owner) {
    this.owner = owner;
    this.keys = [];
    this.kinds = [];
    this.ids = [];
    this.views = [];
    this.lat = new Float32Array(0);
    this.lon = new Float32Array(0);
    this.flags = new Uint8Array(0);
    this.frame = 0;
    this.hits = [];
    this.drawn = { devices: 0, clusters: [], cones: 0 };
  },

  /** Room for n devices; grown by doubling, so numbering thousands of devices copies the arrays a few times. */
  reserve(n) {
    if (n <= this.lat.length) return;
    const size = Math.max(n, this.lat.length * 2, 1024);
    const grow = (old, Type) => { const next = new Type(size); next.set(old); return next; };
    this.lat = grow(this.lat, Float32Array);
    this.lon = grow(this.lon, Float32Array);
    this.flags = grow(this.flags, Uint8Array);
  },

  /** What is drawn under a point: the top-most device ({key}) or cluster ({cluster}); null if nothing. */
  hitAt(point) {
    let best = null;
    let bestDistance = Infinity;
    // Later hits are drawn over earlier ones: on a tie the later wins.
    for (const hit of this.hits) {
      const reach = hit.r + 2;
      const distance = (hit.x - point.x) ** 2 + (hit.y - point.y) ** 2;
      if (distance <= reach * reach && distance <= bestDistance) { best = hit; bestDistance = distance; }
    }
    return best;
  },

  draw() {
    const map = this._map;
    if (!map) return;
    const owner = this.owner;
    const context = this.begin(map);
    const size = map.getSize();
    const zoom = map.getZoom();
    const scale = 256 * Math.pow(2, zoom);
    const corner = map.getPixelBounds().min;
    const layers = owner.layers;
    const clustering = zoom < owner.settings.clusterBelowZoom;
    const shown = { handheld: layers.handhelds, sensor: layers.sensors, camera: layers.cameras };
    // Per shape, per colour: flat [x, y, …] lists.
    const groups = { sensor: new Map(), handheld: new Map(), camera: new Map() };
    const add = (shape, colour, x, y) => {
      let points = groups[shape].get(colour);
      if (!points) groups[shape].set(colour, points = []);
      points.push(x, y);
    };
    const cells = new Map();
    const cameras = [];
    const hits = [];
    let devices = 0;
    for (const index of owner.devices.values()) {
      const kind = this.kinds[index];
      if (!shown[kind]) continue;
      const [x, y] = project(this.lat[index], this.lon[index], scale, corner);
      const reach = kind === "camera" ? 60 : 8;
      if (x < -reach || y < -reach || x > size.x + reach || y > size.y + reach) continue;
      devices++;
      if (kind === "camera") { cameras.push(index, x, y); continue; }
      if (clustering) {
        const cell = Math.floor(x / this.cell) * 100003 + Math.floor(y / this.cell);
        let members = cells.get(cell);
        if (!members) cells.set(cell, members = []);
        members.push(index, x, y);
        continue;
      }
      add(kind, owner.colourOf(kind, this.flags[index]), x, y);
      hits.push({ x, y, r: owner.radius(kind), key: this.keys[index] });
    }
    const clusters = [];
    for (const members of cells.values()) {
      if (members.length === 3) {
        const [index, x, y] = members;
        const kind = this.kinds[index];
        add(kind, owner.colourOf(kind, this.flags[index]), x, y);
        hits.push({ x, y, r: owner.radius(kind), key: this.keys[index] });
        continue;
      }
      let sx = 0, sy = 0, exceeded = false;
      const count = members.length / 3;
      for (let m = 0; m < members.length; m += 3) {
        sx += members[m + 1]; sy += members[m + 2];
        exceeded ||= (this.flags[members[m]] & 3) === 3;
      }
      const x = sx / count, y = sy / count;
      const point = map.containerPointToLatLng([x, y]);
      clusters.push({ x, y, count, exceeded, r: 10 + Math.min(14, Math.log2(count) * 2), lat: point.lat, lon: point.lng });
    }

    context.globalAlpha = 0.85;
    context.lineWidth = 1;
    // Offline icons first (grey sorts before the colours), so live ones are drawn over them.
    for (const [colour, points] of [...groups.sensor].sort()) {
      context.beginPath();
      for (let p = 0; p < points.length; p += 2) context.rect(points[p] - 6, points[p + 1] - 6, 12, 12);
      this.paint(context, colour);
    }
    for (const [colour, points] of [...groups.handheld].sort()) {
      context.beginPath();
      for (let p = 0; p < points.length; p += 2) {
        context.moveTo(points[p] + 5, points[p + 1]);
        context.arc(points[p], points[p + 1], 5, 0, Math.PI * 2);
      }
      this.paint(context, colour);
    }
    for (const cluster of clusters) {
      context.beginPath();
      context.arc(cluster.x, cluster.y, cluster.r, 0, Math.PI * 2);
      context.globalAlpha = 0.8;
      context.fillStyle = "#1f6feb";
      context.fill();
      context.globalAlpha = 1;
      context.lineWidth = 2;
      context.strokeStyle = cluster.exceeded ? "#e5484d" : "#cfe3ff";
      context.stroke();
      context.fillStyle = "#ffffff";
      context.font = "bold 12px system-ui, sans-serif";
      context.textAlign = "center";
      context.textBaseline = "middle";
      context.fillText(String(cluster.count), cluster.x, cluster.y);
      hits.push({ x: cluster.x, y: cluster.y, r: cluster.r, cluster });
    }
    context.textAlign = "start";
    context.textBaseline = "alphabetic";
    // Cameras last: a cone where each looks, then the camera itself, over everything else on this canvas.
    const metresPerPixel = 40075016.686 / scale;
    let cones = 0;
    for (let c = 0; c < cameras.length; c += 3) {
      const view = this.views[cameras[c]];
      if (!view) continue;
      const [heading, fov, range] = view;
      const x = cameras[c + 1], y = cameras[c + 2];
      const reach = Math.min(Math.max(range / (metresPerPixel * Math.cos(this.lat[cameras[c]] * Math.PI / 180)), 18), 400);
      const middle = (heading - 90) * Math.PI / 180;
      const half = Math.max(fov, 4) * Math.PI / 360;
      context.beginPath();
      context.moveTo(x, y);
      context.arc(x, y, reach, middle - half, middle + half);
      context.closePath();
      context.globalAlpha = 0.25;
      context.fillStyle = "#c084fc";
      context.fill();
      context.globalAlpha = 0.7;
      context.lineWidth = 1;
      context.strokeStyle = "#c084fc";
      context.stroke();
      cones++;
    }
    context.globalAlpha = 1;
    for (let c = 0; c < cameras.length; c += 3) {
      const index = cameras[c], x = cameras[c + 1], y = cameras[c + 2];
      context.beginPath();
      context.moveTo(x, y - 8); context.lineTo(x + 8, y); context.lineTo(x, y + 8); context.lineTo(x - 8, y); context.closePath();
      context.fillStyle = owner.colourOf("camera", this.flags[index]);
      context.fill();
      context.lineWidth = 1.5;
      context.strokeStyle = "#ffffff";
      context.stroke();
      hits.push({ x, y, r: 8, key: this.keys[index] });
    }
    this.hits = hits;
    this.drawn = { devices, clusters: clusters.map(c => ({ x: c.x, y: c.y, count: c.count })), cones };
  },

  paint(context, colour) {
    context.globalAlpha = 0.85;
    context.fillStyle = colour;
    context.fill();
    context.globalAlpha = 1;
    context.lineWidth = 1;
    context.strokeStyle = colour;
    context.stroke();
  },
});
