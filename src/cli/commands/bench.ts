import type { Command } from '../cli-common';
export const bench: Command = async () => 0;
