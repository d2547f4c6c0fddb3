/** `serve` ended in a way its exit code must tell (main.ts returns exitCode and prints the message). */
export class ServeExitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'ServeExitError';
  }
}

/** Exit code when the drain deadline passed and requests still in flight were cut. */
export const EXIT_DRAIN_CUT = 3;
