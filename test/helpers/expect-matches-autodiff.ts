// The bounds a native run must hold against autodiff (native-vs-autodiff.ts), in one place for
// the in-process test and the oneDNN one.
import { expect } from 'vitest';
import type { compareWithAutodiff } from './native-vs-autodiff';

export function expectMatchesAutodiff(
  adam: boolean,
  r: ReturnType<typeof compareWithAutodiff>,
): void {
  expect(r.nativeLosses[2]).toBeLessThan(r.nativeLosses[0]!);
  // Adam's reference is Keras' update written out (epsilon on sqrt(v)), not tfjs' optimizer.
  if (!adam) expect(r.nativeLosses[0]).toBeCloseTo(r.referenceLosses![0]!, 4);
  expect(r.maxDiff).toBeLessThan(adam ? 1e-4 : 2e-4);
  expect(r.updateError).toBeLessThan(2e-2);
}
