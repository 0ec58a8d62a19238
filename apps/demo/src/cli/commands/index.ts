import type { Command } from '../command';
import { autodiffCheckCommand } from './autodiff-check';
import { backendCommand } from './backend';
import { chargesReportCommand } from './charges-report';
import { dataCommands } from './data';
import { ecfCommand } from './ecf';
import { ecfReportCommand } from './ecf-report';
import { ecfWebModelCommand } from './ecf-web-model';
import { fnoBurgersCommand } from './fno-burgers';
import { integratorsReportCommand } from './integrators-report';
import { pinnCommand } from './pinn';
import { pinnReportCommand } from './pinn-report';
import { razorCommand } from './razor';
import { razorReportCommand } from './razor-report';
import { pinnSpectrumCommand } from './pinn-spectrum';

/** Every sub-command of the `noether` CLI, in `--help` order. */
export const commands: Command[] = [
  backendCommand,
  autodiffCheckCommand,
  pinnCommand,
  pinnReportCommand,
  pinnSpectrumCommand,
  integratorsReportCommand,
  chargesReportCommand,
  razorCommand,
  razorReportCommand,
  ecfCommand,
  ecfReportCommand,
  ecfWebModelCommand,
  fnoBurgersCommand,
  ...dataCommands,
];
