// The folder policy as both hosts configure it: grants from the person, plus the runs folder
// (where the engine records runs: asked of the engine once, since the host may not know it)
// and the bundled MNIST copy, readable without a grant.
import { bundledMnistDir } from '../engine/dataset-files';
import { FolderPolicy } from './folder-policy';

export function studioFolderPolicy(options: {
  howToChoose: string;
  runsDir: () => Promise<string>;
}): FolderPolicy {
  let runsDir: Promise<string> | null = null;
  return new FolderPolicy({
    howToChoose: options.howToChoose,
    readOnlyRoots: async () => {
      runsDir ??= options.runsDir().catch((error: unknown) => {
        runsDir = null; // ask again next time (the engine may be restarting)
        throw error;
      });
      return [await runsDir, bundledMnistDir()];
    },
  });
}

export const HOW_TO_CHOOSE = {
  electron: 'choose it with the folder dialog',
  browser: 'type it into the path field and submit it',
} as const;
