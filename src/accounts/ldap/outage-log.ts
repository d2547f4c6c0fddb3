import type { Clock } from '../../clock';
import type { Logger } from '../../http/logger';
import type { DirectoryUnavailableError } from './errors';

/**
 * Directory outages as the log reports them: one warn line when the directory first fails, one
 * when it answers again with how many checks were refused meanwhile and for how long; nothing per
 * request (each refused request's access line says 503 already).
 */
export class DirectoryOutageLog {
  private down: { since: number; refused: number } | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  failed(error: DirectoryUnavailableError): void {
    if (this.down) {
      this.down.refused += 1;
      return;
    }
    this.down = { since: this.clock(), refused: 1 };
    this.logger.warn({ cause: { type: error.causeType, message: error.causeMessage } }, 'ldap: the directory is unavailable; sign-ins it serves answer 503');
  }

  answered(): void {
    if (!this.down) return;
    const { since, refused } = this.down;
    this.down = null;
    this.logger.warn({ refused, seconds: Math.round((this.clock() - since) / 1000) }, 'ldap: the directory answers again');
  }
}
