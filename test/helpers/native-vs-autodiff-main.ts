// Child-process entry of native-network-onednn.test.ts: TensorFlow reads TF_ENABLE_ONEDNN_OPTS
// once, when it loads, so the oneDNN run needs a process of its own (started with it set).
// Prints one JSON line per case: its name, whether it is Adam, and compareWithAutodiff's figures.
import { CASES, compareWithAutodiff } from './native-vs-autodiff';

for (const [name, input] of CASES) {
  const figures = compareWithAutodiff(input);
  process.stdout.write(`${JSON.stringify({ name, adam: input.optimizer === 'adam', figures })}\n`);
}
