// The live map: a marker per device, a ring per open alert; clicking a place offers the cameras that see it, or,
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
      device.kind === "camera" ? this.element("br") : null,
      device.kind === "camera" ? this.link(`wall?camera=${encodeURIComponent(device.id)}`, "Open on the video wall") : null,
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

  colour(device) {
    if (!device.online) return "#6b7280";
    if (device.exceeded) return "#e5484d";
    return { handheld: "#3e9bff", sensor: "#30a46c", camera: "#a855f7" }[device.kind] || "#dfe7f3";
  },

  updateDevices(devices) {
    if (!this.map) return;
    for (const device of devices) {
      let marker = this.devices.get(device.key);
      const style = { color: this.colour(device), fillColor: this.colour(device), fillOpacity: 0.85, weight: 1 };
      if (!marker) {
        marker = L.circleMarker([device.lat, device.lon], { radius: device.kind === "handheld" ? 5 : 7, ...style })
          .bindPopup(layer => this.devicePopup(layer.device))
          .addTo(this.map);
        this.devices.set(device.key, marker);
      } else {
        marker.setLatLng([device.lat, device.lon]).setStyle(style);
      }
      // The popup is built from the latest state when it opens: a marker never clicked costs no DOM.
      marker.device = device;
    }
  },

  /** How many devices the map holds. */
  deviceCount() {
    return this.devices.size;
  },

  removeDevices(keys) {
    for (const key of keys) {
      const marker = this.devices.get(key);
      if (marker) { marker.remove(); this.devices.delete(key); }
    }
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
