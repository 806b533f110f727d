import { connectedComponents3D } from '@pedseg/volume';
import { generatePhantom } from '@pedseg/data';
for (let c = 0; c < 40; c++) {
const p = generatePhantom('shoulder', { seed: 11, caseIndex: c, size: { shape: [160, 160, 96] }, landmarksPerBone: 0 });
const mask = p.label.data.map((x) => (x === 2 ? 1 : 0));
const cc = connectedComponents3D(mask, p.label.shape, 26);
const [nx, ny] = p.label.shape; const A = p.label.affine;
const sums = Array.from({ length: cc.count }, () => [0, 0, 0, 0]);
cc.labels.forEach((l, i) => { if (!l) return; const x = i % nx, y = Math.floor(i / nx) % ny, z = Math.floor(i / (nx * ny)); const s = sums[l - 1]!; s[0] += A[0]! * x + A[3]!; s[1] += A[5]! * y + A[7]!; s[2] += A[10]! * z + A[11]!; s[3] += 1; });
console.log(c, p.subject.pathological, p.subject.sizeFactor.toFixed(2), sums.map((s) => `${s[3]}@(${(s[0]! / s[3]!).toFixed(0)},${(s[1]! / s[3]!).toFixed(0)},${(s[2]! / s[3]!).toFixed(0)})`).join(' '));
}
