import { describe, expect, it } from 'vitest';
import {
  exportPathError,
  isAbsolutePath,
  joinPath,
  modelPathError,
  slugify,
  suggestedExportPath,
  switchExportKind,
  writtenPaths,
} from '../../../../src/renderer/src/features/models/models-export';

describe('export paths', () => {
  it('recognises full paths on POSIX and Windows', () => {
    expect(isAbsolutePath('/tmp/x')).toBe(true);
    expect(isAbsolutePath('C:\\Users\\me')).toBe(true);
    expect(isAbsolutePath('d:/models')).toBe(true);
    expect(isAbsolutePath('\\\\server\\share')).toBe(true);
    expect(isAbsolutePath('models/x')).toBe(false);
    expect(isAbsolutePath('~/x')).toBe(false);
  });

  it('joins with the separator the path uses', () => {
    expect(joinPath('/tmp/out/', 'm')).toBe('/tmp/out/m');
    expect(joinPath('C:\\out', 'm.json')).toBe('C:\\out\\m.json');
  });

  it('makes a file-system-safe name from a run name', () => {
    expect(slugify('lenet5 · 2 epochs · lr 0.003')).toBe('lenet5-2-epochs-lr-0.003');
    expect(slugify('  ../../etc  ')).toBe('etc');
    expect(slugify('···')).toBe('model');
    expect(slugify('x'.repeat(100))).toHaveLength(80);
  });

  it('suggests a new sub-folder or a new .json inside the picked folder', () => {
    expect(suggestedExportPath('/home/me/exports', 'My run', 'folder')).toBe(
      '/home/me/exports/My-run',
    );
    expect(suggestedExportPath('/home/me/exports', 'My run', 'file')).toBe(
      '/home/me/exports/My-run.json',
    );
  });

  it('keeps the place when switching between folder and file', () => {
    expect(switchExportKind('/out/model', 'file')).toBe('/out/model.json');
    expect(switchExportKind('/out/model/', 'file')).toBe('/out/model.json');
    expect(switchExportKind('/out/model.json', 'file')).toBe('/out/model.json');
    expect(switchExportKind('/out/model.json', 'folder')).toBe('/out/model');
    expect(switchExportKind('', 'file')).toBe('');
  });

  it('says what is wrong with a target', () => {
    expect(exportPathError('', 'folder')).toMatch(/Enter where/);
    expect(exportPathError('out/model', 'folder')).toMatch(/full path/);
    expect(exportPathError('/out/model', 'file')).toMatch(/end the name with \.json/);
    expect(exportPathError('/out/model.json', 'folder')).toMatch(/not a \.json file/);
    expect(exportPathError('/out/model', 'folder')).toBeNull();
    expect(exportPathError(' /out/model.JSON ', 'file')).toBeNull();
  });

  it('checks a model location before asking the engine', () => {
    expect(modelPathError('')).toMatch(/Enter the folder/);
    expect(modelPathError('model.json')).toMatch(/full path/);
    expect(modelPathError('/models/a/model.json')).toBeNull();
  });

  it('lists the written files as full paths', () => {
    expect(writtenPaths({ dir: '/out/m', files: ['model.json', 'weights.bin'] })).toEqual([
      '/out/m/model.json',
      '/out/m/weights.bin',
    ]);
  });
});
