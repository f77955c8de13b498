// The live map: a dot per device (all drawn on one canvas), a ring per open alert; clicking a place offers the cameras that see it, or,
// while the incident board asks for a place ("pick a place"), gives that place to the board.
// Popups are built from DOM nodes with textContent: device ids, alert titles (device-sent text, camera names)
// are data, never markup.
window.liveMap = {
  map: null,
  devices: new Map(),
  alerts: new Map(),
  incidents: new Map(),
  routes: new Map(),
  picking: null,
  picked: null,

  init(elementId, settings) {
    if (!window.L) return;
    this.map = L.map(elementId, { preferCanvas: true }).setView([settings.lat, settings.lon], settings.zoom);
    this.deviceLayer = new DeviceDots(this).addTo(this.map);
    if (settings.tileUrl) {
      L.tileLayer(settings.tileUrl, { maxZoom: 19, attribution: settings.attribution || "" }).addTo(this.map);
    }
    this.devices.clear();
    this.alerts.clear();
    this.incidents.clear();
    this.routes.clear();
    this.picking = null;
    this.picked = null;
    this.map.on("click", e => {
      const { lat, lng } = e.latlng;
      if (this.picking) {
        const caller = this.picking.caller;
        this.cancelPick(false);
        this.showPicked(lat, lng);
        caller.invokeMethodAsync("PlacePicked", lat, lng);
        return;
      }
      const device = this.deviceAt(e.containerPoint);
      if (device) { this.openDevicePopup(device); return; }
      const content = this.popup([this.link(`wall?lat=${lat.toFixed(6)}&lon=${lng.toFixed(6)}`, "Cameras that see this place")]);
      L.popup().setLatLng(e.latlng).setContent(content).openOn(this.map);
    });
  },

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

  /** A popup's content: strings become text nodes, nodes are kept, null is skipped. */
  popup(parts) {
    const div = this.element("div", null, "map-popup");
    for (const part of parts) {
      if (part === null || part === undefined) continue;
      div.append(typeof part === "string" ? document.createTextNode(part) : part);
    }
    return div;
  },

  devicePopup(device) {
    return this.popup([
      `${device.kind} `,
      this.element("b", device.id),
      ` · ${device.online ? "online" : "offline"}`,
      device.aqiLevel ? ` · AQI ${this.aqiLevels[device.aqiLevel].name}` : null,
      device.kind === "camera" ? this.element("br") : null,
      device.kind === "camera" ? this.link(`wall?camera=${encodeURIComponent(device.id)}`, "Open on the video wall") : null,
      device.kind === "sensor" ? this.element("br") : null,
      device.kind === "sensor" ? this.link(`sensors/${encodeURIComponent(device.id)}`, "历史曲线 Charts") : null,
    ]);
  },

  alertPopup(alert) {
    return this.popup([
      this.element("b", alert.severity),
      " ",
      this.element("span", alert.title, "title"),
      this.element("br"),
      this.link(`wall?alert=${encodeURIComponent(alert.id)}`, "Cameras"),
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

  /** Open incidents, each with a straight route line from every unit on its way (not a road route). */
  showIncidents(incidents) {
    if (!this.map) return;
    const open = new Set(incidents.map(i => i.id));
    for (const [id, marker] of this.incidents) if (!open.has(id)) { marker.remove(); this.incidents.delete(id); }
    for (const line of this.routes.values()) line.remove();
    this.routes.clear();
    for (const incident of incidents) {
      const icon = L.divIcon({ className: `incident-marker level-${incident.colour}`, iconSize: [20, 20] });
      let marker = this.incidents.get(incident.id);
      if (!marker) {
        marker = L.marker([incident.lat, incident.lon], { icon, keyboard: false })
          .bindPopup(layer => this.incidentPopup(layer.incident))
          .addTo(this.map);
        this.incidents.set(incident.id, marker);
      } else {
        marker.setIcon(icon);
      }
      marker.getElement()?.setAttribute("data-incident", incident.id);
      marker.incident = incident;
      for (const unit of incident.units) {
        const line = L.polyline([[unit.lat, unit.lon], [incident.lat, incident.lon]],
          { color: this.levelColour(incident.colour), weight: 3, dashArray: "6 6", className: "route-line" }).addTo(this.map);
        this.routes.set(`${incident.id}/${unit.id}`, line);
      }
    }
  },

  /** HJ 633-2012 levels 1–6 with the standard's colours; index 0: no AQI. */
  aqiLevels: [null,
    { name: "优 Good", colour: "#00E400" },
    { name: "良 Moderate", colour: "#FFFF00" },
    { name: "轻度污染 Lightly polluted", colour: "#FF7E00" },
    { name: "中度污染 Moderately polluted", colour: "#FF0000" },
    { name: "重度污染 Heavily polluted", colour: "#99004C" },
    { name: "严重污染 Severely polluted", colour: "#7E0023" }],

  /** The AQI level (0–6) in a device's flags (bits 4–6). */
  aqiLevelOf(flags) {
    return (flags >> 4) & 7;
  },

  colour(device) {
    if (!device.online) return "#6b7280";
    if (device.exceeded) return "#e5484d";
    if (device.aqiLevel) return this.aqiLevels[device.aqiLevel].colour;
    return { handheld: "#3e9bff", sensor: "#30a46c", camera: "#a855f7" }[device.kind] || "#dfe7f3";
  },

  radius(kind) {
    return kind === "handheld" ? 5 : 7;
  },

  /**
   * One push's device changes: `added` numbers devices seen for the first time ({index, key, kind, id}); `records`
   * (bytes) holds four float32 per changed device: number, latitude, longitude, flags (1 online, 2 exceeded, 4 gone,
   * bits 4–6 a sensor's AQI level).
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
    }
    layer.reserve(layer.keys.length);
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
    return { key, kind: layer.kinds[index], id: layer.ids[index], lat: layer.lat[index], lon: layer.lon[index], online: !!(flags & 1), exceeded: !!(flags & 2), aqiLevel: this.aqiLevelOf(flags) };
  },

  /** Opens the device's popup, as a click on its dot does; returns the popup's element. */
  openDevicePopup(key) {
    const device = this.device(key);
    if (!device) return null;
    const popup = L.popup({ offset: [0, -this.radius(device.kind)] }).setLatLng([device.lat, device.lon])
      .setContent(this.devicePopup(device)).openOn(this.map);
    return popup.getElement();
  },

  /** The device whose dot is under a point of the map's container, the nearest if dots overlap; null if none. */
  deviceAt(point) {
    const layer = this.deviceLayer;
    let best = null;
    let bestDistance = Infinity;
    for (const [key, index] of this.devices) {
      const at = this.map.latLngToContainerPoint([layer.lat[index], layer.lon[index]]);
      const reach = this.radius(layer.kinds[index]) + 2;
      const distance = (at.x - point.x) ** 2 + (at.y - point.y) ** 2;
      if (distance <= reach * reach && distance < bestDistance) { best = key; bestDistance = distance; }
    }
    return best;
  },

  showAlerts(alerts) {
    if (!this.map) return;
    const open = new Set(alerts.map(a => a.id));
    for (const [id, ring] of this.alerts) if (!open.has(id)) { ring.remove(); this.alerts.delete(id); }
    for (const alert of alerts) {
      let ring = this.alerts.get(alert.id);
      if (!ring) {
        ring = L.circleMarker([alert.lat, alert.lon], { radius: 16, color: "#e5484d", weight: 3, fill: false, className: "alert-ring" })
          .bindPopup(layer => this.alertPopup(layer.alert))
          .addTo(this.map);
        this.alerts.set(alert.id, ring);
      }
      // The popup reads the latest title when it opens.
      ring.alert = alert;
    }
  },
};

/**
 * Every device as a dot on one canvas over the map, from typed arrays indexed by the device's number. The canvas sits
 * in a pane of the map, is moved to the view's corner and redrawn when the view settles, and is hidden while a zoom
 * animates. Dots of one colour and size are one path: a few fills per frame, not one per device.
 */
const DeviceDots = window.L && L.Layer.extend({
  initialize(owner) {
    this.owner = owner;
    this.keys = [];
    this.kinds = [];
    this.ids = [];
    this.lat = new Float32Array(0);
    this.lon = new Float32Array(0);
    this.flags = new Uint8Array(0);
    this.frame = 0;
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

  onAdd(map) {
    const pane = map.getPane("devicePane") || map.createPane("devicePane");
    pane.style.zIndex = 390; // over the tiles, under alert rings, incidents and popups
    pane.style.pointerEvents = "none";
    this.canvas = L.DomUtil.create("canvas", "device-dots", pane);
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

  draw() {
    const map = this._map;
    if (!map) return;
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
    // Web Mercator as Leaflet's default CRS computes it, inlined: no object per device per frame.
    const scale = 256 * Math.pow(2, map.getZoom());
    const corner = map.getPixelBounds().min;
    const degree = Math.PI / 180;
    const maxLat = 85.0511287798;
    // Grouped by colour and radius; offline dots first, so live ones are drawn over them.
    const groups = new Map();
    for (const index of this.owner.devices.values()) {
      const flags = this.flags[index];
      const sin = Math.sin(Math.max(Math.min(this.lat[index], maxLat), -maxLat) * degree);
      const x = scale * (this.lon[index] + 180) / 360 - corner.x;
      const y = scale * (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) - corner.y;
      const radius = this.owner.radius(this.kinds[index]);
      if (x < -radius || y < -radius || x > size.x + radius || y > size.y + radius) continue;
      const colour = this.owner.colour({ kind: this.kinds[index], online: flags & 1, exceeded: flags & 2, aqiLevel: this.owner.aqiLevelOf(flags) });
      const group = `${flags & 1 ? 1 : 0}${colour}/${radius}`;
      let points = groups.get(group);
      if (!points) groups.set(group, points = []);
      points.push(x, y);
    }
    for (const group of [...groups.keys()].sort()) {
      const points = groups.get(group);
      const [colour, size] = group.slice(1).split("/");
      const radius = Number(size);
      context.beginPath();
      for (let p = 0; p < points.length; p += 2) {
        context.moveTo(points[p] + radius, points[p + 1]);
        context.arc(points[p], points[p + 1], radius, 0, Math.PI * 2);
      }
      context.globalAlpha = 0.85;
      context.fillStyle = colour;
      context.fill();
      context.globalAlpha = 1;
      context.lineWidth = 1;
      context.strokeStyle = colour;
      context.stroke();
    }
  },
});
