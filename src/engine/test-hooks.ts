// Test-only fault injection for the file writers, inert unless its environment variables are
// set (the tests set them on an engine or CLI process they start; nothing else should):
//   LENET_TEST_KILL_AT=<phase>:<n>  the n-th time (1-based) this process reaches <phase>, it
//                                   kills itself with SIGKILL: a crash at an exact point of a
//                                   write, instead of a kill at a random moment that may miss it.
//   LENET_TEST_ENOSPC=<text>[:<k>]  writes to files whose path contains <text> fail with ENOSPC,
//                                   as on a full disk, after the first <k> such files (default
//                                   0) were written (for machines where the tests cannot mount
//                                   a small tmpfs).
// Phases are named where they are reached, in atomic-files.ts.

const reached = new Map<string, number>();

/** Kills the process here if LENET_TEST_KILL_AT names this phase and this is its n-th time. */
export function killPoint(phase: string): void {
  const spec = process.env.LENET_TEST_KILL_AT;
  if (!spec) return;
  const [name, n] = spec.split(':');
  if (name !== phase) return;
  const count = (reached.get(phase) ?? 0) + 1;
  reached.set(phase, count);
  if (count === Number(n ?? 1)) process.kill(process.pid, 'SIGKILL');
}

let faultCandidates = 0;

/** Throws ENOSPC for `file` if LENET_TEST_ENOSPC names part of its path (and its turn came). */
export function injectedWriteFault(file: string): void {
  const spec = process.env.LENET_TEST_ENOSPC;
  if (!spec) return;
  const at = spec.lastIndexOf(':');
  const [match, skip] = at > 0 ? [spec.slice(0, at), Number(spec.slice(at + 1))] : [spec, 0];
  if (!file.includes(match) || faultCandidates++ < skip) return;
  throw Object.assign(new Error(`ENOSPC: no space left on device, write`), {
    code: 'ENOSPC',
    syscall: 'write',
  });
}
