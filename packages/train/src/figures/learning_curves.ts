import { FigureInputError } from '../errors.js';
import type { EpochRecord } from '../loop/types.js';
import { colour, escapeXml, fmt, niceTicks, svgOpen, tickLabel } from './svg.js';

/** One line of a chart. */
export interface CurveSeries {
  /** Legend label. */
  name: string;
  /** y values; `x` defaults to 1…n (epochs). Non-finite values break the line. */
  values: readonly number[];
  /** x values (same length as `values`). */
  x?: readonly number[];
  /** Dashed line (e.g. validation curves). */
  dashed?: boolean;
}

/** Options of {@link learningCurvesSvg}. */
export interface LearningCurveOptions {
  /** Title above the plot. */
  title?: string;
  /** x-axis label. Default `'epoch'`. */
  xLabel?: string;
  /** y-axis label. Default `'value'`. */
  yLabel?: string;
  /** Width in px. Default 560. */
  width?: number;
  /** Height in px. Default 360. */
  height?: number;
  /** Logarithmic y axis (values must be positive). Default `false`. */
  logY?: boolean;
}

/**
 * Learning curves as a standalone SVG string: one polyline per series, axes with ticks, a legend.
 *
 * @throws {@link FigureInputError} for no series, an empty or ragged series, or non-positive values on
 *   a log axis.
 */
export function learningCurvesSvg(series: readonly CurveSeries[], options: LearningCurveOptions = {}): string {
  if (series.length === 0) throw new FigureInputError('learningCurvesSvg: no series given');
  const { width = 560, height = 360, xLabel = 'epoch', yLabel = 'value', logY = false } = options;
  const pts = series.map((s) => {
    if (s.values.length === 0) throw new FigureInputError(`learningCurvesSvg: series '${s.name}' is empty`);
    if (s.x !== undefined && s.x.length !== s.values.length) {
      throw new FigureInputError(`learningCurvesSvg: series '${s.name}' has ${s.x.length} x values for ${s.values.length} y values`);
    }
    return s.values.map((v, i) => {
      if (logY && Number.isFinite(v) && v <= 0) throw new FigureInputError(`learningCurvesSvg: series '${s.name}' has value ${v} on a log axis`);
      return [s.x?.[i] ?? i + 1, logY ? Math.log10(v) : v] as [number, number];
    });
  });
  const finite = pts.flat().filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (finite.length === 0) throw new FigureInputError('learningCurvesSvg: no finite values to plot');
  let [x0, x1] = [Math.min(...finite.map((p) => p[0])), Math.max(...finite.map((p) => p[0]))];
  let [y0, y1] = [Math.min(...finite.map((p) => p[1])), Math.max(...finite.map((p) => p[1]))];
  if (x1 === x0) [x0, x1] = [x0 - 0.5, x1 + 0.5];
  if (y1 === y0) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  const m = { left: 60, right: 150, top: options.title ? 30 : 12, bottom: 42 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const sx = (x: number): number => m.left + ((x - x0) / (x1 - x0)) * pw;
  const sy = (y: number): number => m.top + ph - ((y - y0) / (y1 - y0)) * ph;
  const out: string[] = [svgOpen(width, height), `<rect width="100%" height="100%" fill="white"/>`];
  if (options.title) out.push(`<text x="${fmt(width / 2)}" y="18" text-anchor="middle" font-size="13">${escapeXml(options.title)}</text>`);
  out.push(`<g stroke="#ddd">`);
  const yTicks = niceTicks(y0, y1);
  const xTicks = niceTicks(x0, x1, 6).filter((t) => t >= x0 && t <= x1);
  for (const t of yTicks) out.push(`<line x1="${m.left}" x2="${fmt(m.left + pw)}" y1="${fmt(sy(t))}" y2="${fmt(sy(t))}"/>`);
  out.push(`</g><g stroke="black" fill="none"><rect x="${m.left}" y="${m.top}" width="${fmt(pw)}" height="${fmt(ph)}"/></g>`);
  out.push(`<g text-anchor="end">`);
  for (const t of yTicks) out.push(`<text x="${m.left - 4}" y="${fmt(sy(t) + 4)}">${escapeXml(logY ? tickLabel(10 ** t) : tickLabel(t))}</text>`);
  out.push(`</g><g text-anchor="middle">`);
  for (const t of xTicks) out.push(`<text x="${fmt(sx(t))}" y="${fmt(m.top + ph + 14)}">${escapeXml(tickLabel(t))}</text>`);
  out.push(`</g>`);
  out.push(`<text x="${fmt(m.left + pw / 2)}" y="${fmt(height - 8)}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${fmt(m.top + ph / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel + (logY ? ' (log)' : ''))}</text>`);
  series.forEach((s, i) => {
    const c = colour(i);
    const segments: string[][] = [[]];
    for (const [x, y] of pts[i] as Array<[number, number]>) {
      if (Number.isFinite(x) && Number.isFinite(y)) (segments[segments.length - 1] as string[]).push(`${fmt(sx(x))},${fmt(sy(y))}`);
      else segments.push([]);
    }
    for (const seg of segments.filter((g) => g.length > 0)) {
      out.push(`<polyline fill="none" stroke="${c}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''} points="${seg.join(' ')}"/>`);
      if (seg.length === 1) out.push(`<circle cx="${seg[0]?.split(',')[0]}" cy="${seg[0]?.split(',')[1]}" r="2.5" fill="${c}"/>`);
    }
    const ly = m.top + 10 + i * 16;
    out.push(`<line x1="${fmt(m.left + pw + 10)}" x2="${fmt(m.left + pw + 30)}" y1="${ly}" y2="${ly}" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    out.push(`<text x="${fmt(m.left + pw + 34)}" y="${ly + 4}">${escapeXml(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

/**
 * The series of a training history: every training term (`train <term>`, solid) and every validation
 * score (`val <score>`, dashed), one point per epoch.
 */
export function historySeries(history: readonly EpochRecord[]): CurveSeries[] {
  const trainKeys = [...new Set(history.flatMap((h) => Object.keys(h.train)))];
  const valKeys = [...new Set(history.flatMap((h) => Object.keys(h.validation)))];
  const x = history.map((h) => h.epoch + 1);
  return [
    ...trainKeys.map((k) => ({ name: `train ${k}`, x, values: history.map((h) => h.train[k] ?? Number.NaN) })),
    ...valKeys.map((k) => ({ name: `val ${k}`, x, dashed: true, values: history.map((h) => h.validation[k] ?? Number.NaN) })),
  ];
}
