// The canvassing map: each door with coordinates, coloured by its last result. Tiles come
// from OpenStreetMap when online; offline, the points still show on a blank background.
// On the walk list the map is folded (a <details>): drawn when first opened; a tap on a
// door's point brings the door into view in the list.
(() => {
  const el = document.getElementById("canvass-map");
  const data = document.getElementById("canvass-points");
  if (!el || !data || !window.L) return;
  const points = JSON.parse(data.textContent);
  if (!points.length) { el.hidden = true; return; }
  const colour = (result) => (!result ? "#9aa3b2" : result === "talked" ? "#1b7f3b" : "#c46a00");
  // On the walk list, a door recorded (offline too) takes its colour at once.
  document.addEventListener("walk:result", ({ detail }) => {
    const p = points.find((point) => point.door === detail.door);
    if (p) p.result = detail.result;
    p?.marker?.setStyle({ color: colour(detail.result) });
  });
  const draw = () => {
    const map = L.map(el);
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: "© OpenStreetMap",
    }).addTo(map);
    const markers = points.map((p) =>
      (p.marker = L.circleMarker([p.lat, p.lng], { radius: 5, color: colour(p.result), fillOpacity: 0.8 })
        .bindTooltip(p.label)
        .on("click", () => p.door && document.getElementById(`door-${p.door}`)?.scrollIntoView({ block: "center" }))
        .addTo(map)),
    );
    map.fitBounds(L.featureGroup(markers).getBounds(), { padding: [20, 20], maxZoom: 18 });
  };
  const folded = el.closest("details");
  if (folded) folded.hidden = false;
  if (folded && !folded.open) folded.addEventListener("toggle", draw, { once: true });
  else draw();
})();
