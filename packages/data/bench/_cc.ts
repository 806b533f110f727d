import { connectedComponents3D } from '@pedseg/volume';
import { generatePhantom, PHANTOM_DOMAINS, DOMAIN_LABELS } from '@pedseg/data';
for (const size of [{ shape: [48, 48, 24] as const }, { shape: [160, 160, 96] as const }]) for (const d of PHANTOM_DOMAINS) for (const c of [0, 1, 2]) {
  const p = generatePhantom(d, { seed: 11, caseIndex: c, size, landmarksPerBone: 0 });
  const out: string[] = [];
  for (let v = 1; v < DOMAIN_LABELS[d].length; v++) {
    const mask = p.label.data.map((x) => (x === v ? 1 : 0));
    const cc = connectedComponents3D(mask, p.label.shape, 26);
    const sizes = Array.from(cc.sizes).sort((a, b) => b - a);
    out.push(`${DOMAIN_LABELS[d][v]}:${cc.count}${cc.count > 1 ? '(' + sizes.slice(0, 3).join(',') + ')' : ''}`);
  }
  console.log(size.shape[0], d, c, out.join(' '));
}
