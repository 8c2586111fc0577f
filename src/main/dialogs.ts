// Native folder pickers. The renderer never types a path in Electron: it asks, the person picks,
// and only the picked folder comes back (null when they cancel). The backend grants each pick in
// the folder policy (src/host/folder-policy.ts), so the path-taking operations accept it.
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { StudioDialogs } from '../host/studio-backend';

const PURPOSES: Record<'dataset' | 'export' | 'model', OpenDialogOptions> = {
  dataset: {
    title: 'Choose a dataset folder',
    message: 'A folder with IDX files: train/test images and labels (MNIST layout)',
    buttonLabel: 'Use this dataset',
    properties: ['openDirectory'],
  },
  export: {
    title: 'Choose where to export the model',
    message: 'model.json and its weights are written into this folder',
    buttonLabel: 'Export here',
    properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
  },
  model: {
    title: 'Choose a model',
    message: 'model.json (its weight files beside it) or a single-file .json export',
    buttonLabel: 'Load this model',
    properties: ['openFile'],
    filters: [{ name: 'TensorFlow.js model', extensions: ['json'] }],
  },
};

/** `getWindow` is read per call so the dialog is modal to whichever window is current. */
export function createElectronDialogs(getWindow: () => BrowserWindow | null): StudioDialogs {
  return {
    async chooseFolder(purpose) {
      const options = PURPOSES[purpose];
      const win = getWindow();
      const result = win
        ? await dialog.showOpenDialog(win, options)
        : await dialog.showOpenDialog(options);
      const folder = result.canceled ? undefined : result.filePaths[0];
      return folder ?? null;
    },
  };
}
