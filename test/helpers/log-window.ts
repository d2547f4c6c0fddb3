import type { TestGateway } from './gateway';

export interface LogWindow {
  /** The log text the gateway wrote since the window opened. */
  text(): string;
  /** The gateway's remembered values (and any extra ones) that appear in that text (should be empty). */
  leakedSecrets(extra?: readonly string[]): string[];
}

/**
 * The part of a gateway's log written from now on. A "no secret in the logs" test opens one before
 * its own requests, so it checks what it produced itself, whichever tests of its file ran before it
 * (or none, under `-t`). Every value the gateway remembered so far counts as a secret.
 */
export function logWindow(gw: Pick<TestGateway, 'logText' | 'secrets'>): LogWindow {
  const start = gw.logText().length;
  const text = () => gw.logText().slice(start);
  return {
    text,
    leakedSecrets(extra = []) {
      const written = text();
      return [...new Set([...gw.secrets(), ...extra])].filter((s) => written.includes(s));
    },
  };
}
