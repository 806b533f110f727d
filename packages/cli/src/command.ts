/** Output sinks of a command, injectable so tests can capture what a command prints. */
export interface CommandIo {
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
}

/** One `pedseg` sub-command. */
export interface Command {
  /** The word after `pedseg`, e.g. `evaluate`. */
  readonly name: string;
  /** One line for the usage listing. */
  readonly summary: string;
  /** Runs the command on its own arguments and resolves to the exit code. */
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}
