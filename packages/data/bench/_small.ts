import { generatePhantom, PHANTOM_DOMAINS } from '@pedseg/data';
const t = performance.now();
for (let i = 0; i < 5; i++) for (const d of PHANTOM_DOMAINS) generatePhantom(d, { seed: i, landmarksPerBone: 16 });
console.log('ms per phantom', ((performance.now() - t) / 15).toFixed(0));
