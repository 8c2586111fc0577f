// The studio's name and version, read once from package.json at build/run time.
import pkg from '../../package.json';

export const app = { name: 'LeNet Studio', version: pkg.version } as const;
