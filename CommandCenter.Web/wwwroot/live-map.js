// The live map: a marker per device, a ring per open alert; clicking a place offers the cameras that see it.
window.liveMap = {
  map: null,
  devices: new Map(),
  alerts: new Map(),

  init(elementId, settings) {
    if (!window.L) return;
    this.map = L.map(elementId, { preferCanvas: true }).setView([settings.lat, settings.lon], settings.zoom);
    if (settings.tileUrl) {
      L.tileLayer(settings.tileUrl, { maxZoom: 19, attribution: settings.attribution || "" }).addTo(this.map);
    }
    this.devices.clear();
    this.alerts.clear();
    this.map.on("click", e => {
      const { lat, lng } = e.latlng;
      L.popup().setLatLng(e.latlng)
        .setContent(`<a href="wall?lat=${lat.toFixed(6)}&lon=${lng.toFixed(6)}">Cameras that see this place</a>`)
        .openOn(this.map);
    });
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
        marker = L.circleMarker([device.lat, device.lon], { radius: device.kind === "handheld" ? 5 : 7, ...style }).addTo(this.map);
        this.devices.set(device.key, marker);
      } else {
        marker.setLatLng([device.lat, device.lon]).setStyle(style);
      }
      const wall = device.kind === "camera" ? `<br><a href="wall?camera=${encodeURIComponent(device.id)}">Open on the video wall</a>` : "";
      marker.bindPopup(`${device.kind} <b>${device.id}</b> · ${device.online ? "online" : "offline"}${wall}`);
    }
  },

  showAlerts(alerts) {
    if (!this.map) return;
    const open = new Set(alerts.map(a => a.id));
    for (const [id, ring] of this.alerts) if (!open.has(id)) { ring.remove(); this.alerts.delete(id); }
    for (const alert of alerts) {
      if (this.alerts.has(alert.id)) continue;
      const ring = L.circleMarker([alert.lat, alert.lon], { radius: 16, color: "#e5484d", weight: 3, fill: false, className: "alert-ring" })
        .bindPopup(`<b>${alert.severity}</b> ${alert.title}<br><a href="wall?alert=${alert.id}">Cameras</a>`)
        .addTo(this.map);
      this.alerts.set(alert.id, ring);
    }
  },
};
