// The native backward pass still matches autodiff with TensorFlow's oneDNN kernels, which the
// engine turns on for AVX2 + FMA CPUs (cpu-kernels.ts): every case of native-network.test.ts,
// run in a child process started with TF_ENABLE_ONEDNN_OPTS=1. TensorFlow's own start-up line
// proves the kernels were on.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CASES, type compareWithAutodiff } from '../helpers/native-vs-autodiff';
import { expectMatchesAutodiff } from '../helpers/expect-matches-autodiff';

const MAIN = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../helpers/native-vs-autodiff-main.ts',
);
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface CaseLine {
  name: string;
  adam: boolean;
  figures: ReturnType<typeof compareWithAutodiff>;
}

describe('native network with oneDNN kernels', () => {
  it('gives the same weights as tfjs autodiff after 3 steps, every case', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', TSX, MAIN],
      {
        env: { ...process.env, TF_ENABLE_ONEDNN_OPTS: '1', TF_CPP_MIN_LOG_LEVEL: '0' },
        maxBuffer: 1 << 24,
      },
    );
    expect(stderr).toContain('oneDNN custom operations are on');
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as CaseLine);
    expect(lines.map((l) => l.name)).toEqual(CASES.map(([name]) => name));
    for (const line of lines) {
      try {
        expectMatchesAutodiff(line.adam, line.figures);
      } catch (err) {
        throw new Error(`${line.name}: ${(err as Error).message}`);
      }
    }
  }, 600_000);
});
