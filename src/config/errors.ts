/** A configuration problem: one line naming the key and what is wrong. The CLI exits 2 on it. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super(`config: ${key}: ${problem}`);
    this.name = 'ConfigError';
  }
}
