import { colour, escapeXml, fmt, svgOpen } from '../figures/svg.js';
import type { LatentPoint } from './latent_figures.js';

/** One panel of {@link tsnePanelsSvg}. */
export interface TsnePanel {
  /** Panel caption (e.g. `z_s3` or `epoch 5`). */
  readonly caption: string;
  /** The panel's points. */
  readonly points: readonly LatentPoint[];
}

/** Options of {@link tsnePanelsSvg}. */
export interface TsnePanelsOptions {
  /** Figure title. */
  readonly title: string;
  /**
   * True when every panel shows points of one shared t-SNE embedding (epochs of one run): the panels
   * then share their axes, so positions compare across panels. False for independent embeddings
   * (one per scale), each panel then fits its own points.
   */
  readonly shareAxes: boolean;
  /** Points of this kind are drawn as crosses, the others as circles. */
  readonly crossKind?: LatentPoint['kind'];
  /** Panels per row. Default 3. */
  readonly columns?: number;
  /** Panel side in px. Default 200. */
  readonly size?: number;
}

type Bounds = { x0: number; x1: number; y0: number; y1: number };

function boundsOf(points: readonly LatentPoint[]): Bounds {
  const xs = points.map((p) => p.xy[0]);
  const ys = points.map((p) => p.xy[1]);
  return xs.length === 0 ? { x0: 0, x1: 1, y0: 0, y1: 1 } : { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
}

/**
 * Small multiples of t-SNE scatter plots, one colour per group shared by all panels and one legend;
 * each panel is a `<g data-panel="caption">` holding one marker per point (papers 001 Fig. 3 and 002 Fig. 8
 * lay their t-SNE views out this way: per epoch, per scale).
 */
export function tsnePanelsSvg(panels: readonly TsnePanel[], options: TsnePanelsOptions): string {
  const size = options.size ?? 200;
  const columns = Math.max(1, Math.min(options.columns ?? 3, panels.length));
  const rows = Math.ceil(panels.length / columns);
  const gap = 10;
  const caption = 16;
  const top = 28;
  const margin = 10;
  const r = 2.5;
  const names = [...new Set(panels.flatMap((p) => p.points.map((q) => q.group)))];
  const width = columns * (size + gap) + 150;
  const height = top + rows * (size + caption + gap);
  const shared = boundsOf(panels.flatMap((p) => p.points));
  const out: string[] = [svgOpen(width, height), '<rect width="100%" height="100%" fill="white"/>'];
  out.push(`<text x="${fmt((columns * (size + gap)) / 2)}" y="18" text-anchor="middle" font-size="13">${escapeXml(options.title)}</text>`);
  panels.forEach((panel, i) => {
    const ox = (i % columns) * (size + gap);
    const oy = top + Math.floor(i / columns) * (size + caption + gap);
    const b = options.shareAxes ? shared : boundsOf(panel.points);
    const span = Math.max(b.x1 - b.x0, b.y1 - b.y0, 1e-12);
    const scale = (size - 2 * margin) / span;
    const px = (x: number): number => ox + size / 2 + (x - (b.x0 + b.x1) / 2) * scale;
    const py = (y: number): number => oy + caption + size / 2 - (y - (b.y0 + b.y1) / 2) * scale;
    out.push(`<g data-panel="${escapeXml(panel.caption)}">`);
    out.push(`<text x="${fmt(ox + size / 2)}" y="${fmt(oy + 12)}" text-anchor="middle">${escapeXml(panel.caption)}</text>`);
    out.push(`<rect x="${fmt(ox + 0.5)}" y="${fmt(oy + caption + 0.5)}" width="${size - 1}" height="${size - 1}" fill="none" stroke="#ccc"/>`);
    for (const p of panel.points) {
      const c = colour(names.indexOf(p.group));
      const [cx, cy] = [px(p.xy[0]), py(p.xy[1])];
      if (p.kind === options.crossKind) {
        out.push(`<path class="point" d="M${fmt(cx - r)} ${fmt(cy - r)}L${fmt(cx + r)} ${fmt(cy + r)}M${fmt(cx - r)} ${fmt(cy + r)}L${fmt(cx + r)} ${fmt(cy - r)}" stroke="${c}" stroke-width="1.2"/>`);
      } else {
        out.push(`<circle class="point" cx="${fmt(cx)}" cy="${fmt(cy)}" r="${r}" fill="${c}" fill-opacity="0.7"/>`);
      }
    }
    out.push('</g>');
  });
  const lx = columns * (size + gap) + 8;
  names.forEach((name, k) => {
    out.push(`<circle cx="${lx + 6}" cy="${top + 12 + k * 16}" r="5" fill="${colour(k)}"/>`);
    out.push(`<text x="${lx + 16}" y="${top + 16 + k * 16}">${escapeXml(name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
