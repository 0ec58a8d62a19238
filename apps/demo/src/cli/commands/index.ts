import type { Command } from '../command';
import { autodiffCheckCommand } from './autodiff-check';
import { backendCommand } from './backend';

/** Every sub-command of the `noether` CLI, in `--help` order. */
export const commands: Command[] = [backendCommand, autodiffCheckCommand];
