/** Composition of the runner's standalone SVG figures into one figure, as the papers lay them out. */

function attribute(svg: string, name: 'width' | 'height'): number {
  return Number(new RegExp(`<svg[^>]*\\s${name}="([\\d.]+)"`).exec(svg)?.[1] ?? 0);
}

/**
 * Nests standalone SVG documents in a grid (rows × columns, each cell as large as the largest figure),
 * with an optional label left of each row.
 */
export function svgGrid(cells: readonly (readonly string[])[], rowLabels: readonly string[] = []): string {
  const all = cells.flat();
  const cellW = Math.max(1, ...all.map((s) => attribute(s, 'width')));
  const cellH = Math.max(1, ...all.map((s) => attribute(s, 'height')));
  const cols = Math.max(1, ...cells.map((r) => r.length));
  const left = rowLabels.length > 0 ? 24 : 0;
  const width = left + cols * cellW;
  const height = cells.length * cellH;
  const body = cells.flatMap((row, r) => [
    ...(rowLabels[r] !== undefined
      ? [`<text transform="translate(16 ${r * cellH + cellH / 2}) rotate(-90)" text-anchor="middle" font-size="13">${escapeXml(rowLabels[r] as string)}</text>`]
      : []),
    // Drop any XML prologue and place the figure in its cell.
    ...row.map((svg, c) => svg.replace(/^[\s\S]*?<svg/, `<svg x="${left + c * cellW}" y="${r * cellH}"`)),
  ]);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    '<rect width="100%" height="100%" fill="white"/>',
    ...body,
    '</svg>',
  ].join('\n');
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
