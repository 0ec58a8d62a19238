import type { Command } from '../command';
import { autodiffCheckCommand } from './autodiff-check';
import { backendCommand } from './backend';
import { chargesReportCommand } from './charges-report';
import { dataCommands } from './data';
import { integratorsReportCommand } from './integrators-report';
import { pinnCommand } from './pinn';
import { pinnReportCommand } from './pinn-report';

/** Every sub-command of the `noether` CLI, in `--help` order. */
export const commands: Command[] = [
  backendCommand,
  autodiffCheckCommand,
  pinnCommand,
  pinnReportCommand,
  integratorsReportCommand,
  chargesReportCommand,
  ...dataCommands,
];
