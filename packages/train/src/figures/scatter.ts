import { FigureInputError } from '../errors.js';
import { colour, escapeXml, fmt, svgOpen } from './svg.js';

/** Options of {@link scatterSvg}. */
export interface ScatterOptions {
  /** Title. */
  title?: string;
  /** Plot size in px (square). Default 420. */
  size?: number;
  /** Marker radius. Default 3. */
  radius?: number;
  /** Per-point marker: `'circle'` (default) or `'cross'` (e.g. validation slices), same length as points. */
  markers?: ReadonlyArray<'circle' | 'cross'>;
}

/**
 * A 2D scatter plot as an SVG string, coloured by group — the papers' t-SNE figures (one colour per
 * domain or class; legend from the group names).
 *
 * @param points - 2D coordinates (e.g. from {@link tsne}).
 * @param groups - group label of every point.
 * @throws {@link FigureInputError} for mismatched lengths or non-2D / non-finite points.
 */
export function scatterSvg(points: readonly (readonly number[])[], groups: readonly string[], options: ScatterOptions = {}): string {
  if (points.length === 0) throw new FigureInputError('scatterSvg: no points given');
  if (groups.length !== points.length) throw new FigureInputError(`scatterSvg: ${groups.length} groups for ${points.length} points`);
  if (options.markers !== undefined && options.markers.length !== points.length) {
    throw new FigureInputError(`scatterSvg: ${options.markers.length} markers for ${points.length} points`);
  }
  points.forEach((p, i) => {
    if (p.length !== 2 || !p.every(Number.isFinite)) throw new FigureInputError(`scatterSvg: point ${i} is not a finite 2D point`);
  });
  const size = options.size ?? 420;
  const r = options.radius ?? 3;
  const names = [...new Set(groups)];
  const xs = points.map((p) => p[0] as number);
  const ys = points.map((p) => p[1] as number);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const span = Math.max(x1 - x0, y1 - y0, 1e-12);
  const top = options.title ? 28 : 8;
  const margin = 16;
  const scale = (size - 2 * margin) / span;
  const px = (x: number): number => margin + (x - (x0 + x1) / 2) * scale + (size - 2 * margin) / 2;
  const py = (y: number): number => top + margin + (size - 2 * margin) / 2 - (y - (y0 + y1) / 2) * scale;
  const out: string[] = [svgOpen(size + 160, size + top + 8), `<rect width="100%" height="100%" fill="white"/>`];
  if (options.title) out.push(`<text x="${fmt(size / 2)}" y="18" text-anchor="middle" font-size="13">${escapeXml(options.title)}</text>`);
  out.push(`<rect x="0.5" y="${top + 0.5}" width="${size - 1}" height="${size - 1}" fill="none" stroke="#ccc"/>`);
  points.forEach((p, i) => {
    const c = colour(names.indexOf(groups[i] as string));
    const [cx, cy] = [px(p[0] as number), py(p[1] as number)];
    if (options.markers?.[i] === 'cross') {
      out.push(`<path d="M${fmt(cx - r)} ${fmt(cy - r)}L${fmt(cx + r)} ${fmt(cy + r)}M${fmt(cx - r)} ${fmt(cy + r)}L${fmt(cx + r)} ${fmt(cy - r)}" stroke="${c}" stroke-width="1.5"/>`);
    } else {
      out.push(`<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="${r}" fill="${c}" fill-opacity="0.8"/>`);
    }
  });
  names.forEach((name, k) => {
    out.push(`<circle cx="${size + 14}" cy="${top + 12 + k * 16}" r="5" fill="${colour(k)}"/>`);
    out.push(`<text x="${size + 24}" y="${top + 16 + k * 16}">${escapeXml(name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
