import wabtInit from 'wabt';
import { winogradWat } from '../src/backend/kernels/winograd/winograd_wat.js';

/** The Winograd transform modules assembled from {@link winogradWat}: shared-memory and plain variants. */
export async function buildWinogradModules(): Promise<{ shared: Uint8Array; plain: Uint8Array }> {
  const wabt = await wabtInit();
  const features = { simd: true, threads: true };
  const assemble = (shared: boolean): Uint8Array => {
    const module = wabt.parseWat(`winograd-${shared ? 'shared' : 'plain'}.wat`, winogradWat(shared), features);
    try {
      // The typings omit validate's feature argument; without it, shared memories fail validation.
      (module.validate as (this: typeof module, features: object) => void).call(module, features);
      return module.toBinary({ canonicalize_lebs: true }).buffer;
    } finally {
      module.destroy();
    }
  };
  return { shared: assemble(true), plain: assemble(false) };
}
