// Training progress on the terminal: a redrawn bar on a TTY, plain lines otherwise.
import type { StudioEvent } from '../shared/studio-contract';

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '--:--';
  const m = Math.floor(s / 60);
  return `${m}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
}

export function createProgressReporter(stream: NodeJS.WriteStream): (event: StudioEvent) => void {
  const tty = stream.isTTY === true;
  const width = 30;
  return (event) => {
    switch (event.kind) {
      case 'train-started':
        stream.write(
          `training ${event.config.model} (${event.params} parameters) on ${event.trainSamples} samples` +
            ` (${event.validationSamples} validation, ${event.testSamples} test), ${event.epochs} epoch(s)\n`,
        );
        break;
      case 'batch':
        if (tty) {
          const done = (event.batch + 1) / event.batchesPerEpoch;
          const filled = Math.round(done * width);
          stream.write(
            `\repoch ${event.epoch + 1} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
              `${event.batch + 1}/${event.batchesPerEpoch} loss ${event.loss.toFixed(4)} ` +
              `acc ${(event.accuracy * 100).toFixed(2)}% ${Math.round(event.samplesPerSecond)}/s ` +
              `ETA ${formatSeconds(event.etaSeconds)}  `,
          );
        }
        break;
      case 'epoch': {
        const val =
          event.valAccuracy === null
            ? ''
            : ` val_loss ${event.valLoss?.toFixed(4)} val_acc ${(event.valAccuracy * 100).toFixed(2)}%`;
        stream.write(
          `${tty ? '\r\x1b[K' : ''}epoch ${event.epoch + 1}/${event.epochs} loss ${event.loss.toFixed(4)} ` +
            `acc ${(event.accuracy * 100).toFixed(2)}%${val} ${event.seconds.toFixed(1)}s ` +
            `${Math.round(event.samplesPerSecond)} samples/s\n`,
        );
        break;
      }
      case 'train-done':
        stream.write(
          `${tty ? '\r\x1b[K' : ''}${event.summary.stopped ? 'stopped' : 'done'}: test accuracy ` +
            `${(event.summary.testAccuracy * 100).toFixed(2)}% loss ${event.summary.testLoss.toFixed(4)}\n`,
        );
        break;
      case 'train-failed':
        stream.write(`training failed: ${event.message}\n`);
        break;
      case 'log':
        stream.write(`${tty ? '\r\x1b[K' : ''}${event.message}\n`);
        break;
      case 'engine-crashed':
        stream.write(`engine crashed: ${event.reason}\n`);
        break;
      default:
        break;
    }
  };
}
