// C1's filters as grey tiles: one k×k image per output map (of its first input map), on one
// symmetric scale for all (0 → mid-grey, ±max|w| → white/black), so filters compare. Pure.
import type { FeatureMaps } from '../../../../shared/engine-protocol';

export interface FilterTiles {
  layer: string;
  size: number;
  /** Per filter, size×size bytes (0 black … 255 white). */
  tiles: Uint8Array[];
}

export function firstFilterTiles(maps: FeatureMaps): FilterTiles | null {
  const filters = maps.filters[0];
  if (!filters) return null;
  const k = filters.kernelSize;
  const per = filters.inputs * k * k;
  let max = 0;
  for (const v of filters.values) max = Math.max(max, Math.abs(v));
  const scale = max > 0 ? 127.5 / max : 0;
  const tiles = Array.from({ length: filters.outputs }, (_, o) => {
    const tile = new Uint8Array(k * k);
    for (let i = 0; i < k * k; i++) {
      const w = filters.values[o * per + i] as number;
      tile[i] = Math.max(0, Math.min(255, Math.round(127.5 + w * scale)));
    }
    return tile;
  });
  return { layer: filters.layer, size: k, tiles };
}
