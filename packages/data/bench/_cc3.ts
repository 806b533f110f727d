import { Rng } from '../src/random.ts';
import { sampleSubject } from '../src/phantom/subject.ts';
import { buildAnatomy } from '../src/phantom/anatomy.ts';
import { BoneField } from '../src/phantom/bone.ts';
const rng = new Rng(11).fork('shoulder#22');
const subject = sampleSubject('shoulder', rng.fork('subject'));
const an = buildAnatomy('shoulder', subject, rng.fork('anatomy'));
const scap = new BoneField(an.bones[1]!);
const hum = new BoneField(an.bones[0]!);
const prims = an.bones[1]!.primitives;
const a = prims[3]!.center, b = prims[4]!.center;
console.log('spine', a.map((v) => v.toFixed(1)), 'acromion', b.map((v) => v.toFixed(1)));
for (let t = 0; t <= 1.0001; t += 0.1) {
  const p = [0, 1, 2].map((i) => a[i]! + t * (b[i]! - a[i]!)) as [number, number, number];
  console.log(t.toFixed(1), scap.value(...p).toFixed(2), hum.value(...p).toFixed(2));
}
const sp = prims[3]!; const R = sp.rotation; const dir = [R[0]!, R[3]!, R[6]!];
console.log('spine dir', dir.map((v) => v.toFixed(2)), 'radii', sp.radii.map((v) => v.toFixed(1)));
for (let t = -30; t <= 0; t += 3) {
  const p = [0, 1, 2].map((i) => sp.center[i]! + t * dir[i]!) as [number, number, number];
  console.log(t, p.map((v) => v.toFixed(1)).join(','), scap.value(...p).toFixed(2), 'blade', new (BoneField)({ ...an.bones[1]!, primitives: [prims[2]!] }).value(...p).toFixed(2));
}
