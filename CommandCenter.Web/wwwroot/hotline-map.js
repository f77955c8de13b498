// The hotline form's map: a click marks the caller's place and hands it to the form (PlacePicked(lat, lon)).
// Case text never goes into the map; the marker carries no popup.
let map = null;
let marker = null;

export function init(elementId, settings, form) {
  if (!window.L) return;
  const element = document.getElementById(elementId);
  if (!element) return;
  map = L.map(element, { keyboard: true }).setView([settings.lat, settings.lon], settings.zoom);
  if (settings.tileUrl) {
    L.tileLayer(settings.tileUrl, { maxZoom: 19, attribution: settings.attribution || "" }).addTo(map);
  }
  marker = null;
  map.on("click", e => {
    const { lat, lng } = e.latlng;
    show(lat, lng);
    form.invokeMethodAsync("PlacePicked", lat, lng);
  });
}

/** Moves the marker to a place typed into the form, or removes it (null). */
export function show(lat, lon) {
  if (!map) return;
  if (lat === null || lon === null || lat === undefined || lon === undefined) {
    if (marker) { marker.remove(); marker = null; }
    return;
  }
  if (marker) marker.setLatLng([lat, lon]);
  else marker = L.circleMarker([lat, lon], { radius: 8, color: "#c0392b", weight: 3, fillOpacity: 0.4 }).addTo(map);
}

export function dispose() {
  if (map) { map.remove(); map = null; marker = null; }
}
