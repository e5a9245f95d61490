/**
 * Regenerates geo/data/xicheng_grid_generated.geojson from the subdistrict boundaries:
 * `npx tsx geo/build-grid.ts`. The output is deterministic, so the committed file changes only
 * when the boundaries or the grid rules do (a test checks it is up to date).
 */
import { writeFileSync } from 'node:fs';
import type { FeatureCollection, Polygon } from 'geojson';
import { generateGrid, serializeGrid } from './grid.ts';
import { DATA_FILES, dataPath, readDataJson } from './index.ts';

const subdistricts = readDataJson<FeatureCollection<Polygon>>(DATA_FILES.subdistricts);
const grid = generateGrid(subdistricts);
writeFileSync(dataPath(DATA_FILES.grid), serializeGrid(grid));
const merged = grid.features.filter((cell) => cell.properties.squares.length > 1).length;
console.log(`${DATA_FILES.grid}: ${grid.features.length} cells, ${grid.properties.squareSideM} m squares, ${merged} cells with merged slivers`);
