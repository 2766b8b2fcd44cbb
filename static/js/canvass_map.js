// The canvassing map: each door with coordinates, coloured by its last result. Tiles come
// from OpenStreetMap when online; offline, the points still show on a blank background.
(() => {
  const el = document.getElementById("canvass-map");
  const data = document.getElementById("canvass-points");
  if (!el || !data || !window.L) return;
  const points = JSON.parse(data.textContent);
  if (!points.length) { el.hidden = true; return; }
  const map = L.map(el);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "© OpenStreetMap",
  }).addTo(map);
  const colour = (result) => (!result ? "#9aa3b2" : result === "talked" ? "#1b7f3b" : "#c46a00");
  const markers = points.map((p) =>
    L.circleMarker([p.lat, p.lng], { radius: 5, color: colour(p.result), fillOpacity: 0.8 })
      .bindTooltip(p.turf)
      .addTo(map),
  );
  map.fitBounds(L.featureGroup(markers).getBounds(), { padding: [20, 20] });
})();
