/* Turns the plain SVG station map into a Leaflet map (zoom, pan, popups). Tiles only when
   the site sets a tile URL; otherwise the markers sit on a plain background. Without this
   script the SVG map and the list still show every station. */
(function () {
  "use strict";
  var container = document.getElementById("station-map");
  if (!container || !window.L) return;
  var config = JSON.parse(document.getElementById(container.getAttribute("data-map-config")).textContent);
  var markers = JSON.parse(document.getElementById(container.getAttribute("data-map-markers")).textContent);
  if (!markers.length) return;

  var plain = container.querySelector(".station-map__plain");
  var mapElement = document.createElement("div");
  mapElement.className = "station-map__leaflet" + (config.tileUrl ? "" : " station-map__leaflet--plain");
  container.appendChild(mapElement);
  if (plain) plain.setAttribute("hidden", "");

  var map = L.map(mapElement, { scrollWheelZoom: false, zoomSnap: 0.25, attributionControl: Boolean(config.tileUrl) });
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { maxZoom: 18, attribution: config.attribution || "" }).addTo(map);
  }
  var bounds = [];
  markers.forEach(function (station) {
    var icon = L.divIcon({
      className: "station-map__marker station-map__marker--" + station.kind,
      html: "<span>" + station.number + "</span>",
      iconSize: [32, 32],
      iconAnchor: [16, 16]
    });
    var marker = L.marker([station.lat, station.lng], { icon: icon, title: station.number + ". " + station.name, alt: station.name, keyboard: true });
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = "#" + station.id;
    link.textContent = station.name;
    var strong = document.createElement("strong");
    strong.appendChild(link);
    popup.appendChild(strong);
    [station.address, station.phone].forEach(function (line) {
      if (!line) return;
      popup.appendChild(document.createElement("br"));
      popup.appendChild(document.createTextNode(line));
    });
    marker.bindPopup(popup);
    marker.addTo(map);
    bounds.push([station.lat, station.lng]);
  });
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
})();
