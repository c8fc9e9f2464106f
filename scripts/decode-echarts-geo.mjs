#!/usr/bin/env node
// Decodes ECharts 4.9.0's compressed Guangdong map (map/json/province/guangdong.json: the 21 prefecture-level
// cities) into plain GeoJSON for Vega-Lite's geoshape. Run once by hand:
//   npm pack echarts@4.9.0 && tar xzf echarts-4.9.0.tgz
//   node scripts/decode-echarts-geo.mjs package/map/json/province/guangdong.json > data/geo/guangdong.json
// The decoding follows ECharts' src/coord/geo/parseGeoJson.js (Apache-2.0): each coordinate is a pair of char
// codes minus 64, zigzag-encoded, delta-encoded from the feature's encodeOffsets, scaled by UTF8Scale (1024).
import { readFileSync } from 'node:fs';

const source = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const scale = source.UTF8Scale ?? 1024;

function decodeRing(encoded, [offsetX, offsetY]) {
  const ring = [];
  let x = offsetX;
  let y = offsetY;
  for (let i = 0; i < encoded.length; i += 2) {
    let dx = encoded.charCodeAt(i) - 64;
    let dy = encoded.charCodeAt(i + 1) - 64;
    dx = (dx >> 1) ^ -(dx & 1);
    dy = (dy >> 1) ^ -(dy & 1);
    x += dx;
    y += dy;
    ring.push([Math.round((x / scale) * 1e5) / 1e5, Math.round((y / scale) * 1e5) / 1e5]);
  }
  return ring;
}

const features = source.features.map((f) => {
  const { type, coordinates, encodeOffsets } = f.geometry;
  const decoded =
    type === 'Polygon'
      ? coordinates.map((ring, i) => decodeRing(ring, encodeOffsets[i]))
      : coordinates.map((polygon, i) => polygon.map((ring, j) => decodeRing(ring, encodeOffsets[i][j])));
  return { type: 'Feature', id: f.id, properties: { code: f.id, name: f.properties.name }, geometry: { type, coordinates: decoded } };
});

process.stdout.write(
  JSON.stringify({
    type: 'FeatureCollection',
    license: 'Boundaries from Apache ECharts 4.9.0 (map/json/province/guangdong.json), Apache License 2.0, https://echarts.apache.org',
    features,
  }),
);
