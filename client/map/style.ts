/**
 * The wall's own map style: a dark navy ground and nothing fetched from the internet. Chinese text
 * is drawn from local fonts (`localIdeographFontFamily`); other text asks the server's `/glyphs`
 * and MapLibre draws it locally where the server has no glyph range (see the text-font note).
 * Two invisible layers fix the stacking whatever order components mount in: basemap layers go
 * before `BASEMAP_SLOT` (above the ground), our map layers before `LABEL_SLOT`, and text is added
 * on top so names stay readable over the live dots.
 */
import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import { SUBDISTRICTS } from '../../geo/names.ts';
import type { Lang } from '../i18n/index.ts';
import { GROUND } from '../theme.ts';

export const BASEMAP_SLOT = 'basemap-slot';
export const LABEL_SLOT = 'label-slot';

export const LOCAL_CJK_FONTS = "'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif";

/**
 * Text layers keep MapLibre's default text-font. Only that stack draws CJK with
 * `localIdeographFontFamily`; for Latin letters MapLibre fetches the stack's glyph range from
 * `/glyphs` and, if the server answers with an error, draws them locally too.
 */
export const GLYPHS_URL = '/glyphs/{fontstack}/{range}.pbf';

/** Xicheng's outline bounds (from the OSM outline), used until the outline file has loaded. */
export const DISTRICT_BOUNDS: [number, number, number, number] = [116.3149, 39.8675, 116.393, 39.9716];

export function wallStyle(): StyleSpecification {
  return {
    version: 8,
    glyphs: GLYPHS_URL,
    sources: {},
    layers: [
      { id: 'ground', type: 'background', paint: { 'background-color': GROUND.navy } },
      { id: BASEMAP_SLOT, type: 'background', layout: { visibility: 'none' } },
      { id: LABEL_SLOT, type: 'background', layout: { visibility: 'none' } },
    ],
  };
}

/**
 * A subdistrict's name on the map by its adcode in the wall's language, falling back to the OSM
 * name. Chinese map labels drop the common suffix 街道 (as district maps do): at the wall's zoom
 * the full names of the small central subdistricts run into each other. Panels keep full names.
 */
export function subdistrictLabel(lang: Lang): ExpressionSpecification {
  const pairs = SUBDISTRICTS.flatMap((s) => [s.adcode, lang === 'zh' ? s.zh.replace(/街道$/, '') : s.en]);
  // A match over a computed list has no tuple type TypeScript can check against.
  return ['match', ['get', 'adcode'], ...pairs, ['get', 'name']] as unknown as ExpressionSpecification;
}

/** Label size by zoom; pinyin names run longer than Chinese ones, so English is set smaller. */
export function subdistrictLabelSize(lang: Lang): ExpressionSpecification {
  const scale = lang === 'zh' ? 1 : 0.8;
  return ['interpolate', ['linear'], ['zoom'], 11, 16 * scale, 13, 24 * scale, 15, 32 * scale];
}
