// ChainID (OCI image spec, config.md "Layer ChainID"): names a layer together with every layer below it, so
// the same diff on a different base gets a different unpacked folder.
//   ChainID(L0) = DiffID(L0);  ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))
import { sha256Digest } from '../content/digest.js';

export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const diffId of diffIds) {
    out.push(out.length === 0 ? diffId : sha256Digest(`${out[out.length - 1]} ${diffId}`));
  }
  return out;
}
