import { FigureInputError } from '../errors.js';
import { colour, escapeXml, fmt, svgOpen, tickLabel } from './svg.js';

/** One polygon of a radar plot: a method's score on every axis (case). */
export interface RadarSeries {
  /** Legend label (method). */
  name: string;
  /** One value per axis. */
  values: readonly number[];
}

/** Options of {@link radarPlotSvg}. */
export interface RadarOptions {
  /** Value at the centre. Default 0. */
  min?: number;
  /** Value at the rim. Default: the largest value (1 if all ≤ 1). */
  max?: number;
  /** Title. */
  title?: string;
  /** Size of the square plot area in px. Default 420. */
  size?: number;
  /** Concentric grid rings. Default 4. */
  rings?: number;
}

/**
 * A spider / radar plot as an SVG string: one axis per case (e.g. per test examination), one closed
 * polygon per method — the papers' per-case Dice comparison.
 *
 * @throws {@link FigureInputError} for fewer than 3 axes, no series, a series of the wrong length or a
 *   non-finite value.
 */
export function radarPlotSvg(axes: readonly string[], series: readonly RadarSeries[], options: RadarOptions = {}): string {
  if (axes.length < 3) throw new FigureInputError(`radarPlotSvg: need at least 3 axes, got ${axes.length}`);
  if (series.length === 0) throw new FigureInputError('radarPlotSvg: no series given');
  for (const s of series) {
    if (s.values.length !== axes.length) throw new FigureInputError(`radarPlotSvg: series '${s.name}' has ${s.values.length} values for ${axes.length} axes`);
    if (s.values.some((v) => !Number.isFinite(v))) throw new FigureInputError(`radarPlotSvg: series '${s.name}' has a non-finite value`);
  }
  const all = series.flatMap((s) => s.values);
  const min = options.min ?? 0;
  const max = options.max ?? Math.max(1, ...all);
  if (!(max > min)) throw new FigureInputError(`radarPlotSvg: max (${max}) must exceed min (${min})`);
  const size = options.size ?? 420;
  const rings = options.rings ?? 4;
  const legendW = 160;
  const top = options.title ? 28 : 8;
  const width = size + legendW;
  const height = size + top + 8;
  const cx = size / 2;
  const cy = top + size / 2;
  const radius = size / 2 - 60;
  const angle = (i: number): number => -Math.PI / 2 + (2 * Math.PI * i) / axes.length;
  const point = (i: number, v: number): [number, number] => {
    const r = (Math.min(Math.max(v, min), max) - min) / (max - min) * radius;
    return [cx + r * Math.cos(angle(i)), cy + r * Math.sin(angle(i))];
  };
  const out: string[] = [svgOpen(width, height), `<rect width="100%" height="100%" fill="white"/>`];
  if (options.title) out.push(`<text x="${fmt(size / 2)}" y="18" text-anchor="middle" font-size="13">${escapeXml(options.title)}</text>`);
  out.push('<g fill="none" stroke="#ccc">');
  for (let r = 1; r <= rings; r += 1) {
    const v = min + ((max - min) * r) / rings;
    out.push(`<polygon points="${axes.map((_, i) => point(i, v).map(fmt).join(',')).join(' ')}"/>`);
  }
  axes.forEach((_, i) => {
    const [x, y] = point(i, max);
    out.push(`<line x1="${fmt(cx)}" y1="${fmt(cy)}" x2="${fmt(x)}" y2="${fmt(y)}"/>`);
  });
  out.push('</g><g fill="#666" font-size="9">');
  for (let r = 1; r <= rings; r += 1) {
    const v = min + ((max - min) * r) / rings;
    out.push(`<text x="${fmt(cx + 3)}" y="${fmt(cy - (r / rings) * radius - 2)}">${escapeXml(tickLabel(v))}</text>`);
  }
  out.push('</g><g>');
  axes.forEach((name, i) => {
    const x = cx + (radius + 14) * Math.cos(angle(i));
    const y = cy + (radius + 14) * Math.sin(angle(i));
    const anchor = Math.abs(Math.cos(angle(i))) < 0.2 ? 'middle' : Math.cos(angle(i)) > 0 ? 'start' : 'end';
    out.push(`<text x="${fmt(x)}" y="${fmt(y + 4)}" text-anchor="${anchor}">${escapeXml(name)}</text>`);
  });
  out.push('</g>');
  series.forEach((s, k) => {
    const c = colour(k);
    out.push(`<polygon fill="${c}" fill-opacity="0.12" stroke="${c}" stroke-width="1.8" points="${s.values.map((v, i) => point(i, v).map(fmt).join(',')).join(' ')}"/>`);
    out.push(`<rect x="${size + 8}" y="${top + 6 + k * 16}" width="12" height="10" fill="${c}"/>`);
    out.push(`<text x="${size + 24}" y="${top + 15 + k * 16}">${escapeXml(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
