/** One CLI sub-command. Each lives in `commands/<name>.ts` and is listed in `commands/index.ts`. */
export interface Command {
  /** Words that select it, e.g. `backend` or `data generate`. */
  name: string;
  /** One line for `noether --help`. */
  summary: string;
  /** Usage text for `noether <name> --help`. */
  usage: string;
  /** Runs it with the arguments after its name; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}
