/**
 * WebAssembly text of the Winograd F(4×4, 3×3) transforms (Lavin & Gray 2016) that
 * {@link makeWinogradConv2D} runs on tfjs-wasm's own heap. Generated rather than hand-written because
 * the transforms are fully unrolled over a 6×6 tile: every value of a tile lives in a v128 local
 * holding four channels, so one loop iteration transforms four channels of one tile.
 *
 * Three exported functions, all on byte pointers into the imported memory:
 * - `filterTransform(g, cin, cout, uTable)`: U_ξν = (G g Gᵀ)_ξν for a [3, 3, cin, cout] filter into 36
 *   matrices [cin, cout] whose addresses are the 36 i32 at `uTable`;
 * - `inputTransform(image, n, h, w, c, padTop, padLeft, tilesY, tilesX, vTable, zero)`: V_ξν = (Bᵀ d B)_ξν
 *   for every 6×6 input tile d (stride 4) of an NHWC image into 36 matrices [n·tilesY·tilesX, c]; taps
 *   outside the image read the `c` zeros at `zero` (so padding costs no branch in the channel loop);
 * - `outputTransform(mTable, n, oh, ow, c, tilesY, tilesX, y, bias, lo, hi, sink)`: y = clamp(Aᵀ M A +
 *   bias, lo, hi) for the 36 products M_ξν = V_ξν U_ξν; `bias` 0 means none; outputs past the image
 *   edge go to the `c` scratch floats at `sink`. `lo`/`hi` express linear (−∞, ∞), relu (0, ∞) and relu6.
 *
 * For the filter gradient (dU_ξν = V_ξνᵀ dM_ξν, then dW = Gᵀ dU G):
 * - `inputTransformTransposed(...)`: as `inputTransform`, but each matrix laid out [c, tiles];
 * - `outputGradientTransform(dy, n, oh, ow, c, tilesY, tilesX, mTable, zero)`: dM_ξν = (A dY Aᵀ)_ξν for
 *   every 4×4 tile of the output gradient (zeros past its edge) into 36 matrices [tiles, c];
 * - `filterGradientTransform(uTable, cin, cout, dw)`: dW = Gᵀ dU G into a [3, 3, cin, cout] gradient.
 *
 * Channel counts must be multiples of 4 (the kernels check before calling).
 */

/** 1D transform: statements (`local.set`) computing `outputs` from `inputs` (v128 local names). */
type Transform1D = (inputs: string[], outputs: string[], tmp: (name: string) => string) => string[];

const get = (name: string): string => `(local.get $${name})`;
const add = (a: string, b: string): string => `(f32x4.add ${a} ${b})`;
const sub = (a: string, b: string): string => `(f32x4.sub ${a} ${b})`;
const mul = (a: string, constant: string): string => `(f32x4.mul ${a} (local.get $k${constant}))`;
const set = (name: string, value: string): string => `(local.set $${name} ${value})`;

/** Constant vectors kept in locals, by name: `k4` holds 4 in every lane. */
const CONSTANTS: Record<string, number> = {
  '2': 2,
  '4': 4,
  '8': 8,
  Quarter: 1 / 4,
  MinusSixth: -1 / 6,
  Sixth: 1 / 6,
  TwentyFourth: 1 / 24,
  Twelfth: 1 / 12,
};

/**
 * Bᵀ (6×6) applied to v0..v5, factored to 20 vector operations:
 * r0 = 4(v0 − v2) + (v4 − v2), r1 = (v3 + v4) − 4(v1 + v2), r2 = (v4 − v3) + 4(v1 − v2),
 * r3 = (v4 − v2) + 2(v3 − v1), r4 = (v4 − v2) − 2(v3 − v1), r5 = 4(v1 − v3) + (v5 − v3).
 */
const inputRows: Transform1D = (v, r, tmp) => {
  const [v0, v1, v2, v3, v4, v5] = v.map(get) as [string, string, string, string, string, string];
  const a = tmp('a');
  const e = tmp('e');
  return [
    set(a, sub(v4, v2)),
    set(e, mul(sub(v3, v1), '2')),
    set(r[0]!, add(mul(sub(v0, v2), '4'), get(a))),
    set(r[1]!, sub(add(v3, v4), mul(add(v1, v2), '4'))),
    set(r[2]!, add(sub(v4, v3), mul(sub(v1, v2), '4'))),
    set(r[3]!, add(get(a), get(e))),
    set(r[4]!, sub(get(a), get(e))),
    set(r[5]!, add(mul(sub(v1, v3), '4'), sub(v5, v3))),
  ];
};

/** s1 = a + b, d1 = a − b, s2 = c + d, d2 = c − d: the shared first step of Aᵀ and Gᵀ. */
const pairSums = ([a, b, c, d]: string[], [s1, d1, s2, d2]: string[]): string[] => [
  set(s1!, add(a!, b!)),
  set(d1!, sub(a!, b!)),
  set(s2!, add(c!, d!)),
  set(d2!, sub(c!, d!)),
];

/**
 * Aᵀ (4×6) applied to m0..m5: with s1 = m1 + m2, d1 = m1 − m2, s2 = m3 + m4, d2 = m3 − m4:
 * o0 = m0 + s1 + s2, o1 = d1 + 2 d2, o2 = s1 + 4 s2, o3 = d1 + 8 d2 + m5.
 */
const outputRows: Transform1D = (m, o, tmp) => {
  const [m0, m1, m2, m3, m4, m5] = m.map(get) as [string, string, string, string, string, string];
  const [s1, d1, s2, d2] = [tmp('s1'), tmp('d1'), tmp('s2'), tmp('d2')];
  return [
    ...pairSums([m1, m2, m3, m4], [s1, d1, s2, d2]),
    set(o[0]!, add(add(m0, get(s1)), get(s2))),
    set(o[1]!, add(get(d1), mul(get(d2), '2'))),
    set(o[2]!, add(get(s1), mul(get(s2), '4'))),
    set(o[3]!, add(add(get(d1), mul(get(d2), '8')), m5)),
  ];
};

/**
 * G (6×3) applied to g0..g2: o0 = g0/4, o1 = −(g0 + g1 + g2)/6, o2 = −(g0 − g1 + g2)/6,
 * o3 = g0/24 + g1/12 + g2/6, o4 = g0/24 − g1/12 + g2/6, o5 = g2.
 */
const filterRows: Transform1D = (g, o, tmp) => {
  const [g0, g1, g2] = g.map(get) as [string, string, string];
  const [a, b, c] = [tmp('a'), tmp('b'), tmp('c')];
  return [
    set(a, add(g0, g2)),
    set(b, mul(add(g0, mul(g2, '4')), 'TwentyFourth')),
    set(c, mul(g1, 'Twelfth')),
    set(o[0]!, mul(g0, 'Quarter')),
    set(o[1]!, mul(add(get(a), g1), 'MinusSixth')),
    set(o[2]!, mul(sub(get(a), g1), 'MinusSixth')),
    set(o[3]!, add(get(b), get(c))),
    set(o[4]!, sub(get(b), get(c))),
    set(o[5]!, g2),
  ];
};

/**
 * A (6×4), the transpose of Aᵀ, applied to a0..a3 (an output-gradient tile's column or row): with
 * e = a0 + a2, o = a1 + a3, e′ = a0 + 4a2, o′ = 2(a1 + 4a3):
 * r0 = a0, r1 = e + o, r2 = e − o, r3 = e′ + o′, r4 = e′ − o′, r5 = a3.
 */
const outputGradientRows: Transform1D = (a, r, tmp) => {
  const [a0, a1, a2, a3] = a.map(get) as [string, string, string, string];
  const [e, o, e2, o2] = [tmp('a'), tmp('b'), tmp('c'), tmp('e')];
  return [
    set(e, add(a0, a2)),
    set(o, add(a1, a3)),
    set(e2, add(a0, mul(a2, '4'))),
    set(o2, mul(add(a1, mul(a3, '4')), '2')),
    set(r[0]!, a0),
    set(r[1]!, add(get(e), get(o))),
    set(r[2]!, sub(get(e), get(o))),
    set(r[3]!, add(get(e2), get(o2))),
    set(r[4]!, sub(get(e2), get(o2))),
    set(r[5]!, a3),
  ];
};

/**
 * Gᵀ (3×6) applied to m0..m5 (a filter-gradient tile's column or row): with s = m1 + m2, d = m1 − m2,
 * s′ = m3 + m4, d′ = m3 − m4: o0 = m0/4 − s/6 + s′/24, o1 = −d/6 + d′/12, o2 = (s′ − s)/6 + m5.
 */
const filterGradientRows: Transform1D = (m, o, tmp) => {
  const [m0, m1, m2, m3, m4, m5] = m.map(get) as [string, string, string, string, string, string];
  const [s1, d1, s2, d2] = [tmp('s1'), tmp('d1'), tmp('s2'), tmp('d2')];
  return [
    ...pairSums([m1, m2, m3, m4], [s1, d1, s2, d2]),
    set(o[0]!, add(add(mul(m0, 'Quarter'), mul(get(s1), 'MinusSixth')), mul(get(s2), 'TwentyFourth'))),
    set(o[1]!, add(mul(get(d1), 'MinusSixth'), mul(get(d2), 'Twelfth'))),
    set(o[2]!, add(mul(sub(get(s2), get(s1)), 'Sixth'), m5)),
  ];
};

/**
 * A 2D transform X (p×q input) → Y = L X Lᵀ applied by rows then columns: first the 1D transform
 * down every column (`inName[i][j]` → `midName[k][j]`), then along every row (`midName[k][·]` →
 * `outName[k][l]`).
 */
function transform2D(
  rows: Transform1D,
  inSize: number,
  outSize: number,
  inName: (i: number, j: number) => string,
  midName: (k: number, j: number) => string,
  outName: (k: number, l: number) => string,
  tmp: (name: string) => string,
): string[] {
  const body: string[] = [];
  for (let j = 0; j < inSize; j++) {
    const column = Array.from({ length: inSize }, (_, i) => inName(i, j));
    const mids = Array.from({ length: outSize }, (_, k) => midName(k, j));
    body.push(...rows(column, mids, tmp));
  }
  for (let k = 0; k < outSize; k++) {
    const row = Array.from({ length: inSize }, (_, j) => midName(k, j));
    const outs = Array.from({ length: outSize }, (_, l) => outName(k, l));
    body.push(...rows(row, outs, tmp));
  }
  return body;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const v128Locals = (names: string[]): string => names.map((n) => `(local $${n} v128)`).join(' ');
const i32Locals = (names: string[]): string => names.map((n) => `(local $${n} i32)`).join(' ');
const constantLocals = (): string => v128Locals(Object.keys(CONSTANTS).map((k) => `k${k}`));
const constantInit = (): string[] =>
  Object.entries(CONSTANTS).map(([k, v]) => set(`k${k}`, `(v128.const f32x4 ${v} ${v} ${v} ${v})`));
/** Loads the 36 table entries at `table` into the i32 locals `${prefix}0..35`. */
const loadTable = (table: string, prefix: string): string[] =>
  range(36).map((i) => set(`${prefix}${i}`, `(i32.load offset=${4 * i} ${get(table)})`));
const tempNames = ['a', 'b', 'c', 'e', 's1', 'd1', 's2', 'd2'].map((n) => `w_${n}`);
const tmp = (name: string): string => `w_${name}`;

/** One exported function: its parameters, locals, a 36-address table loaded into `${prefix}0..35`, and body. */
interface FunctionSpec {
  name: string;
  params: string[];
  i32: string[];
  v128: string[];
  table: [param: string, prefix: string];
  body: string[];
}

/** The text of an exported function; every function gets the constant vectors and its table. */
function exportedFunction(spec: FunctionSpec): string {
  const params = spec.params.map((p) => `(param $${p} ${p === 'lo' || p === 'hi' ? 'f32' : 'i32'})`).join(' ');
  return `
  (func (export "${spec.name}") ${params}
    ${i32Locals(spec.i32)}
    ${v128Locals([...spec.v128, ...tempNames])}
    ${constantLocals()}
    ${[...constantInit(), ...loadTable(...spec.table), ...spec.body].join('\n    ')}
  )`;
}

/**
 * The loop nest of the filter-side transforms: every input channel `ci`, and every group of four
 * output channels (`co`, its byte offset in a row of `rowBytes` = cout·4); `src` is the group's byte
 * offset in one [cin, cout] matrix and `tapStride` the bytes of one such matrix.
 */
function filterLoops(body: string[]): string {
  return `(local.set $rowBytes (i32.shl ${get('cout')} (i32.const 2)))
    (local.set $tapStride (i32.mul ${get('rowBytes')} ${get('cin')}))
    (local.set $ci (i32.const 0))
    (block $doneC (loop $eachC
      (br_if $doneC (i32.ge_u ${get('ci')} ${get('cin')}))
      (local.set $co (i32.const 0))
      (block $doneO (loop $eachO
        (br_if $doneO (i32.ge_u ${get('co')} ${get('rowBytes')}))
        (local.set $src (i32.add (i32.mul ${get('ci')} ${get('rowBytes')}) ${get('co')}))
        ${body.join('\n        ')}
        (local.set $co (i32.add ${get('co')} (i32.const 16)))
        (br $eachO)))
      (local.set $ci (i32.add ${get('ci')} (i32.const 1)))
      (br $eachC)))`;
}

function filterTransform(): string {
  const g = (u: number, v: number): string => `g${u}_${v}`;
  const mid = (k: number, v: number): string => `t${k}_${v}`;
  const out = (k: number, l: number): string => `o${k}_${l}`;
  // G g Gᵀ: transform2D applies `rows` to the columns of g (3 → 6), then to the rows (3 → 6).
  const math = transform2D(filterRows, 3, 6, g, mid, out, tmp);
  const loads = range(9).map((k) => {
    const [u, v] = [Math.floor(k / 3), k % 3];
    return set(g(u, v), `(v128.load (i32.add ${get('g')} (i32.add ${get('src')} (i32.mul (i32.const ${k}) ${get('tapStride')}))))`);
  });
  const stores = range(36).map((k) => `(v128.store (i32.add ${get(`u${k}`)} ${get('src')}) ${get(out(Math.floor(k / 6), k % 6))})`);
  return exportedFunction({
    name: 'filterTransform',
    params: ['g', 'cin', 'cout', 'uTable'],
    i32: ['ci', 'co', 'rowBytes', 'tapStride', 'src', ...range(36).map((i) => `u${i}`)],
    v128: [...range(9).map((k) => g(Math.floor(k / 3), k % 3)), ...range(18).map((k) => mid(Math.floor(k / 3), k % 3)), ...range(36).map((k) => out(Math.floor(k / 6), k % 6))],
    table: ['uTable', 'u'],
    body: [filterLoops([...loads, ...math, ...stores])],
  });
}

/** What {@link tileLoops} needs to know about one side (input or output) of the transforms. */
interface TileWalk {
  /** Parameter holding the image's byte address (batch item 0). */
  image: string;
  /** Parameters holding the image's height and width. */
  height: string;
  width: string;
  /** Taps per tile side (6 input, 4 output), 4 apart. */
  span: number;
  /** Parameters subtracted from the tap rows/columns (the padding), if any. */
  padTop?: string;
  padLeft?: string;
  /** Prefix of the i32 locals receiving the span² tap addresses. */
  pointer: string;
  /** Parameter with the address used for taps outside the image (zeros to read, or a sink to write). */
  outside: string;
  /** Statements of one channel-group iteration (`co` = its byte offset in a pixel). */
  body: string[];
}

/**
 * The loop nest shared by the input and output transforms: batch items, tile rows, tile columns, and
 * groups of four channels. Per tile, the span² tap addresses are computed once (taps outside the
 * image get the `outside` address, so the channel loop has no branch); `tile` counts tiles and `tileOff`
 * advances by one pixel's bytes per tile, the tile's row in the 36 product matrices.
 */
function tileLoops(walk: TileWalk): string {
  const { span, pointer } = walk;
  const shifted = (tile: string, k: number, pad: string | undefined): string => {
    const position = `(i32.add (i32.shl ${get(tile)} (i32.const 2)) (i32.const ${k}))`;
    return pad === undefined ? position : `(i32.sub ${position} ${get(pad)})`;
  };
  // Row/column addresses; -1 marks a row or column outside the image.
  const rows = range(span).map(
    (i) => `(local.set $y ${shifted('ty', i, walk.padTop)})
        (local.set $r${i} (select (i32.add ${get('imageBase')} (i32.mul ${get('y')} ${get('rowBytes')})) (i32.const -1) (i32.lt_u ${get('y')} ${get(walk.height)})))`,
  );
  const cols = range(span).map(
    (j) => `(local.set $xx ${shifted('tx', j, walk.padLeft)})
          (local.set $c${j} (select (i32.mul ${get('xx')} ${get('pixelBytes')}) (i32.const -1) (i32.lt_u ${get('xx')} ${get(walk.width)})))`,
  );
  const pointers = range(span * span).map((k) => {
    const [i, j] = [Math.floor(k / span), k % span];
    const inside = `(i32.and (i32.ne ${get(`r${i}`)} (i32.const -1)) (i32.ne ${get(`c${j}`)} (i32.const -1)))`;
    return `(local.set $${pointer}${k} (select (i32.add ${get(`r${i}`)} ${get(`c${j}`)}) ${get(walk.outside)} ${inside}))`;
  });
  return `(local.set $pixelBytes (i32.shl ${get('c')} (i32.const 2)))
    (local.set $rowBytes (i32.mul ${get('pixelBytes')} ${get(walk.width)}))
    (local.set $imageBytes (i32.mul ${get('rowBytes')} ${get(walk.height)}))
    (local.set $tileOff (i32.const 0))
    (local.set $tile (i32.const 0))
    (local.set $b (i32.const 0))
    (block $doneB (loop $eachB
      (br_if $doneB (i32.ge_u ${get('b')} ${get('n')}))
      (local.set $imageBase (i32.add ${get(walk.image)} (i32.mul ${get('b')} ${get('imageBytes')})))
      (local.set $ty (i32.const 0))
      (block $doneY (loop $eachY
        (br_if $doneY (i32.ge_u ${get('ty')} ${get('tilesY')}))
        ${rows.join('\n        ')}
        (local.set $tx (i32.const 0))
        (block $doneX (loop $eachX
          (br_if $doneX (i32.ge_u ${get('tx')} ${get('tilesX')}))
          ${cols.join('\n          ')}
          ${pointers.join('\n          ')}
          (local.set $co (i32.const 0))
          (block $doneO (loop $eachO
            (br_if $doneO (i32.ge_u ${get('co')} ${get('pixelBytes')}))
            ${walk.body.join('\n            ')}
            (local.set $co (i32.add ${get('co')} (i32.const 16)))
            (br $eachO)))
          (local.set $tileOff (i32.add ${get('tileOff')} ${get('pixelBytes')}))
          (local.set $tile (i32.add ${get('tile')} (i32.const 1)))
          (local.set $tx (i32.add ${get('tx')} (i32.const 1)))
          (br $eachX)))
        (local.set $ty (i32.add ${get('ty')} (i32.const 1)))
        (br $eachY)))
      (local.set $b (i32.add ${get('b')} (i32.const 1)))
      (br $eachB)))`;
}

/** i32 locals every {@link tileLoops} nest uses, plus its span² pointers and span row/column addresses. */
const tileLocals = (span: number, pointer: string): string[] => [
  'b', 'ty', 'tx', 'co', 'y', 'xx', 'pixelBytes', 'rowBytes', 'imageBytes', 'imageBase', 'tileOff', 'tile',
  ...range(span).map((i) => `r${i}`),
  ...range(span).map((j) => `c${j}`),
  ...range(span * span).map((k) => `${pointer}${k}`),
];

/**
 * The input transform. `transposed` writes each product matrix as [c, tiles] instead of [tiles, c]
 * (`inputTransformTransposed`, for the filter gradient's Vᵀ·dM): lane by lane, since a vector holds
 * four channels of one tile.
 */
function inputTransform(transposed: boolean): string {
  const d = (i: number, j: number): string => `d${i}_${j}`;
  const mid = (k: number, j: number): string => `t${k}_${j}`;
  const out = (k: number, l: number): string => `o${k}_${l}`;
  const math = transform2D(inputRows, 6, 6, d, mid, out, tmp);
  const loads = range(36).map((k) => set(d(Math.floor(k / 6), k % 6), `(v128.load (i32.add ${get(`p${k}`)} ${get('co')}))`));
  const stores = transposed
    ? [
        // Channel (co/4 + lane) of tile `tile` sits at ((co/4 + lane)·tiles + tile)·4 bytes.
        set('lane0', `(i32.add (i32.mul ${get('co')} ${get('tiles')}) (i32.shl ${get('tile')} (i32.const 2)))`),
        ...[1, 2, 3].map((l) => set(`lane${l}`, `(i32.add ${get(`lane${l - 1}`)} ${get('laneBytes')})`)),
        ...range(36).flatMap((k) =>
          range(4).map((l) => `(v128.store32_lane ${l} (i32.add ${get(`v${k}`)} ${get(`lane${l}`)}) ${get(out(Math.floor(k / 6), k % 6))})`),
        ),
      ]
    : range(36).map((k) => `(v128.store (i32.add ${get(`v${k}`)} (i32.add ${get('tileOff')} ${get('co')})) ${get(out(Math.floor(k / 6), k % 6))})`);
  const walk: TileWalk = { image: 'image', height: 'h', width: 'w', span: 6, padTop: 'padTop', padLeft: 'padLeft', pointer: 'p', outside: 'zero', body: [...loads, ...math, ...stores] };
  return exportedFunction({
    name: transposed ? 'inputTransformTransposed' : 'inputTransform',
    params: ['image', 'n', 'h', 'w', 'c', 'padTop', 'padLeft', 'tilesY', 'tilesX', 'vTable', 'zero'],
    i32: [...tileLocals(6, 'p'), ...range(36).map((k) => `v${k}`), 'tiles', 'laneBytes', 'lane0', 'lane1', 'lane2', 'lane3'],
    v128: [...range(36).map((k) => d(Math.floor(k / 6), k % 6)), ...range(36).map((k) => mid(Math.floor(k / 6), k % 6)), ...range(36).map((k) => out(Math.floor(k / 6), k % 6))],
    table: ['vTable', 'v'],
    body: [
      set('tiles', `(i32.mul ${get('n')} (i32.mul ${get('tilesY')} ${get('tilesX')}))`),
      set('laneBytes', `(i32.shl ${get('tiles')} (i32.const 2))`),
      tileLoops(walk),
    ],
  });
}

/**
 * dM = A dY Aᵀ for every 4×4 tile of the output gradient dY ([n, oh, ow, c]; zeros past its edge)
 * into 36 matrices [n·tilesY·tilesX, c] at the addresses in `mTable`: the gradient of the loss with
 * respect to the 36 products of the forward pass.
 */
function outputGradientTransform(): string {
  const a = (i: number, j: number): string => `a${i}_${j}`;
  const mid = (k: number, j: number): string => `t${k}_${j}`;
  const out = (k: number, l: number): string => `o${k}_${l}`;
  const math = transform2D(outputGradientRows, 4, 6, a, mid, out, tmp);
  const loads = range(16).map((k) => set(a(Math.floor(k / 4), k % 4), `(v128.load (i32.add ${get(`p${k}`)} ${get('co')}))`));
  const stores = range(36).map((k) => `(v128.store (i32.add ${get(`m${k}`)} (i32.add ${get('tileOff')} ${get('co')})) ${get(out(Math.floor(k / 6), k % 6))})`);
  const walk: TileWalk = { image: 'dy', height: 'oh', width: 'ow', span: 4, pointer: 'p', outside: 'zero', body: [...loads, ...math, ...stores] };
  return exportedFunction({
    name: 'outputGradientTransform',
    params: ['dy', 'n', 'oh', 'ow', 'c', 'tilesY', 'tilesX', 'mTable', 'zero'],
    i32: [...tileLocals(4, 'p'), ...range(36).map((k) => `m${k}`)],
    v128: [...range(16).map((k) => a(Math.floor(k / 4), k % 4)), ...range(24).map((k) => mid(Math.floor(k / 4), k % 4)), ...range(36).map((k) => out(Math.floor(k / 6), k % 6))],
    table: ['mTable', 'm'],
    body: [tileLoops(walk)],
  });
}

/**
 * dW = Gᵀ dU G: the filter gradient [3, 3, cin, cout] at `dw` from the gradients of the 36
 * transformed-filter matrices ([cin, cout] each, addresses in `uTable`).
 */
function filterGradientTransform(): string {
  const m = (i: number, j: number): string => `m${i}_${j}`;
  const mid = (k: number, j: number): string => `t${k}_${j}`;
  const out = (k: number, l: number): string => `o${k}_${l}`;
  const math = transform2D(filterGradientRows, 6, 3, m, mid, out, tmp);
  const loads = range(36).map((k) => set(m(Math.floor(k / 6), k % 6), `(v128.load (i32.add ${get(`u${k}`)} ${get('src')}))`));
  const stores = range(9).map(
    (k) => `(v128.store (i32.add ${get('dw')} (i32.add ${get('src')} (i32.mul (i32.const ${k}) ${get('tapStride')}))) ${get(out(Math.floor(k / 3), k % 3))})`,
  );
  return exportedFunction({
    name: 'filterGradientTransform',
    params: ['uTable', 'cin', 'cout', 'dw'],
    i32: ['ci', 'co', 'rowBytes', 'tapStride', 'src', ...range(36).map((i) => `u${i}`)],
    v128: [...range(36).map((k) => m(Math.floor(k / 6), k % 6)), ...range(18).map((k) => mid(Math.floor(k / 6), k % 6)), ...range(9).map((k) => out(Math.floor(k / 3), k % 3))],
    table: ['uTable', 'u'],
    body: [filterLoops([...loads, ...math, ...stores])],
  });
}

function outputTransform(): string {
  const m = (i: number, j: number): string => `m${i}_${j}`;
  const mid = (k: number, j: number): string => `t${k}_${j}`;
  const out = (k: number, l: number): string => `o${k}_${l}`;
  const math = transform2D(outputRows, 6, 4, m, mid, out, tmp);
  const loads = range(36).map((k) => set(m(Math.floor(k / 6), k % 6), `(v128.load (i32.add ${get(`m${k}`)} (i32.add ${get('tileOff')} ${get('co')})))`));
  const finish = range(16).map((k) => {
    const [i, j] = [Math.floor(k / 4), k % 4];
    const value = `(f32x4.min (f32x4.max (f32x4.add ${get(out(i, j))} ${get('biasV')}) ${get('loV')}) ${get('hiV')})`;
    return `(v128.store (i32.add ${get(`q${k}`)} ${get('co')}) ${value})`;
  });
  const bias = `(local.set $biasV (if (result v128) ${get('bias')} (then (v128.load (i32.add ${get('bias')} ${get('co')}))) (else (v128.const i32x4 0 0 0 0))))`;
  const walk: TileWalk = { image: 'y0', height: 'oh', width: 'ow', span: 4, pointer: 'q', outside: 'sink', body: [bias, ...loads, ...math, ...finish] };
  return exportedFunction({
    name: 'outputTransform',
    params: ['mTable', 'n', 'oh', 'ow', 'c', 'tilesY', 'tilesX', 'y0', 'bias', 'lo', 'hi', 'sink'],
    i32: [...tileLocals(4, 'q'), ...range(36).map((k) => `m${k}`)],
    v128: [...range(36).map((k) => m(Math.floor(k / 6), k % 6)), ...range(24).map((k) => mid(Math.floor(k / 6), k % 6)), ...range(16).map((k) => out(Math.floor(k / 4), k % 4)), 'biasV', 'loV', 'hiV'],
    table: ['mTable', 'm'],
    body: [set('loV', `(f32x4.splat ${get('lo')})`), set('hiV', `(f32x4.splat ${get('hi')})`), tileLoops(walk)],
  });
}

/**
 * The module's text. `shared` declares the imported memory shared (tfjs-wasm's threaded build);
 * otherwise plain (its single-threaded SIMD build). Both builds use 32-bit memories of at most 4 GiB.
 */
export function winogradWat(shared: boolean): string {
  const memory = shared ? '(memory 1 65536 shared)' : '(memory 1)';
  return `(module
  (import "env" "memory" ${memory})
${filterTransform()}
${inputTransform(false)}
${outputTransform()}
${inputTransform(true)}
${outputGradientTransform()}
${filterGradientTransform()}
)
`;
}
