import { FigureInputError } from '../errors.js';
import { encodePng, pngDataUri } from './png.js';
import { colour, escapeXml, fmt, svgOpen } from './svg.js';

/** A 2D scalar slice, row-major (`index = x + width · y`, first row at the top). */
export interface Slice2D {
  /** Columns. */
  width: number;
  /** Rows. */
  height: number;
  /** `width × height` values. */
  data: ArrayLike<number>;
}

function checkSlice(what: string, s: Slice2D): void {
  if (!Number.isInteger(s.width) || !Number.isInteger(s.height) || s.width < 1 || s.height < 1) {
    throw new FigureInputError(`${what}: width and height must be positive integers, got ${s.width}×${s.height}`);
  }
  if (s.data.length !== s.width * s.height) {
    throw new FigureInputError(`${what}: data has ${s.data.length} values, expected ${s.width * s.height}`);
  }
}

function sameGrid(a: string, sa: Slice2D, b: string, sb: Slice2D): void {
  if (sa.width !== sb.width || sa.height !== sb.height) {
    throw new FigureInputError(`${b} is ${sb.width}×${sb.height} but ${a} is ${sa.width}×${sa.height}`);
  }
}

function range(data: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i += 1) {
    const v = data[i] as number;
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** The "turbo"-like heat colour map: t ∈ [0, 1] → RGB (a polynomial fit, dark blue → red). */
function heat(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t));
  const r = 0.1357 + x * (4.5974 - x * (42.3277 - x * (130.5887 - x * (150.5666 - x * 58.1375))));
  const g = 0.0914 + x * (2.1856 + x * (4.8052 - x * (14.0195 - x * (4.2109 + x * 2.7747))));
  const b = 0.1067 + x * (12.5925 - x * (60.1097 - x * (109.0745 - x * (88.5066 - x * 26.8183))));
  return [r, g, b].map((c) => Math.round(255 * Math.min(1, Math.max(0, c)))) as [number, number, number];
}

/** Renders a grey-scale slice (optionally blended with a heat map) as RGBA bytes. */
function render(image: Slice2D, heatMap?: Slice2D, alpha = 0.5): Uint8Array {
  const [lo, hi] = range(image.data);
  const [hlo, hhi] = heatMap ? range(heatMap.data) : [0, 1];
  const out = new Uint8Array(image.width * image.height * 4);
  for (let i = 0; i < image.width * image.height; i += 1) {
    const g = hi > lo ? (((image.data[i] as number) - lo) / (hi - lo)) * 255 : 0;
    let [r, gg, b] = [g, g, g];
    if (heatMap) {
      const t = hhi > hlo ? ((heatMap.data[i] as number) - hlo) / (hhi - hlo) : 0;
      const [hr, hg, hb] = heat(t);
      r = (1 - alpha) * r + alpha * hr;
      gg = (1 - alpha) * gg + alpha * hg;
      b = (1 - alpha) * b + alpha * hb;
    }
    out[4 * i] = Math.round(r);
    out[4 * i + 1] = Math.round(gg);
    out[4 * i + 2] = Math.round(b);
    out[4 * i + 3] = 255;
  }
  return out;
}

/** Options shared by the overlay figures. */
export interface OverlayOptions {
  /** Screen pixels per image pixel. Default 4. */
  scale?: number;
  /** Title above the image. */
  title?: string;
}

/**
 * An attention-coefficient map (e.g. an attention gate's output resized to the slice) blended over a
 * grey-scale slice, as an SVG embedding one PNG (written with `node:zlib`), pixelated rendering.
 *
 * @param options - `alpha`: opacity of the heat map, in [0, 1] (default 0.5); `scale`; `title`.
 * @throws {@link FigureInputError} for malformed slices, different grid sizes or alpha outside [0, 1].
 */
export function attentionOverlaySvg(image: Slice2D, attention: Slice2D, options: OverlayOptions & { alpha?: number } = {}): string {
  checkSlice('attentionOverlaySvg: image', image);
  checkSlice('attentionOverlaySvg: attention', attention);
  sameGrid('attentionOverlaySvg: image', image, 'attention', attention);
  const alpha = options.alpha ?? 0.5;
  if (!(alpha >= 0 && alpha <= 1)) throw new FigureInputError(`attentionOverlaySvg: alpha must be in [0, 1], got ${alpha}`);
  const png = encodePng(image.width, image.height, render(image, attention, alpha));
  return imageSvg(image, pngDataUri(png), options, []);
}

function imageSvg(image: Slice2D, uri: string, options: OverlayOptions, extra: readonly string[]): string {
  const scale = options.scale ?? 4;
  const top = options.title ? 22 : 0;
  const w = image.width * scale;
  const h = image.height * scale;
  const out = [
    svgOpen(w, h + top),
    options.title ? `<text x="${fmt(w / 2)}" y="15" text-anchor="middle" font-size="12">${escapeXml(options.title)}</text>` : '',
    `<image x="0" y="${top}" width="${w}" height="${h}" preserveAspectRatio="none" style="image-rendering:pixelated" href="${uri}"/>`,
    `<g transform="translate(0 ${top}) scale(${scale})">`,
    ...extra,
    '</g>',
    '</svg>',
  ];
  return out.filter((s) => s !== '').join('\n');
}

/**
 * The boundary of label `label` in a label slice as an SVG path: the pixel edges separating label
 * pixels from non-label pixels (or the border), in pixel units, merged into horizontal and vertical runs.
 */
export function labelContourPath(labels: Slice2D, label: number): string {
  checkSlice('labelContourPath: labels', labels);
  const { width: w, height: h, data } = labels;
  const at = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < w && y < h && data[x + w * y] === label;
  const parts: string[] = [];
  // Horizontal edges: between rows y-1 and y.
  for (let y = 0; y <= h; y += 1) {
    let start = -1;
    for (let x = 0; x <= w; x += 1) {
      const edge = x < w && at(x, y) !== at(x, y - 1);
      if (edge && start < 0) start = x;
      if (!edge && start >= 0) {
        parts.push(`M${start} ${y}H${x}`);
        start = -1;
      }
    }
  }
  // Vertical edges: between columns x-1 and x.
  for (let x = 0; x <= w; x += 1) {
    let start = -1;
    for (let y = 0; y <= h; y += 1) {
      const edge = y < h && at(x, y) !== at(x - 1, y);
      if (edge && start < 0) start = y;
      if (!edge && start >= 0) {
        parts.push(`M${x} ${start}V${y}`);
        start = -1;
      }
    }
  }
  return parts.join('');
}

/**
 * Contours of predicted and ground-truth labels over a grey-scale slice, as an SVG: the slice as an
 * embedded PNG, ground truth as solid paths, the prediction as dashed paths, one colour per label.
 * Background (label 0) is not drawn.
 *
 * @throws {@link FigureInputError} for malformed slices or different grid sizes.
 */
export function contourOverlaySvg(image: Slice2D, groundTruth: Slice2D, prediction: Slice2D, options: OverlayOptions = {}): string {
  checkSlice('contourOverlaySvg: image', image);
  checkSlice('contourOverlaySvg: groundTruth', groundTruth);
  checkSlice('contourOverlaySvg: prediction', prediction);
  sameGrid('contourOverlaySvg: image', image, 'groundTruth', groundTruth);
  sameGrid('contourOverlaySvg: image', image, 'prediction', prediction);
  const labels = new Set<number>();
  for (const s of [groundTruth, prediction]) for (let i = 0; i < s.data.length; i += 1) if (s.data[i] !== 0) labels.add(s.data[i] as number);
  const sorted = [...labels].sort((a, b) => a - b);
  const scale = options.scale ?? 4;
  const stroke = fmt(1.5 / scale);
  const extra: string[] = [];
  sorted.forEach((label, k) => {
    const c = colour(k + 2);
    const gt = labelContourPath(groundTruth, label);
    const pr = labelContourPath(prediction, label);
    if (gt) extra.push(`<path class="ground-truth" data-label="${label}" d="${gt}" fill="none" stroke="${c}" stroke-width="${stroke}"/>`);
    if (pr) extra.push(`<path class="prediction" data-label="${label}" d="${pr}" fill="none" stroke="${c}" stroke-width="${stroke}" stroke-dasharray="${fmt(3 / scale)} ${fmt(2 / scale)}"/>`);
  });
  const png = encodePng(image.width, image.height, render(image));
  return imageSvg(image, pngDataUri(png), options, extra);
}
