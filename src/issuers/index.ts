import type { GatewayConfig } from '../config';
import type { GatewayDeps } from '../deps';
import type { CredentialCheck } from '../identity';
import { issuerCredentialCheck } from './check';
import { ExternalIssuer, type IssuerRuntime } from './issuer';

export { IssuerUnavailableError } from './errors';
export { IssuerMetrics } from './metrics';
export { ExternalIssuer } from './issuer';

/**
 * The configured external authorization servers (config `issuers`), built once by the runtime.
 * Nothing is fetched here: discovery and keys come on first need, so the gateway starts while an
 * issuer is down. Holds no timers or sockets, so there is nothing to close.
 */
export class Issuers {
  private readonly byName: ReadonlyMap<string, ExternalIssuer>;

  constructor(configs: GatewayConfig['issuers'], runtime: IssuerRuntime) {
    this.byName = new Map(configs.map((c) => [c.name, new ExternalIssuer(c, runtime)]));
  }

  get(name: string): ExternalIssuer | undefined {
    return this.byName.get(name);
  }

  all(): ExternalIssuer[] {
    return [...this.byName.values()];
  }
}

/** One credential check per issuer, under the name routes accept it by (`issuer:<name>`). */
export function issuerCredentialChecks(deps: GatewayDeps): Record<`issuer:${string}`, CredentialCheck> {
  const checks: Record<`issuer:${string}`, CredentialCheck> = {};
  for (const issuer of deps.issuers.all()) checks[`issuer:${issuer.name}`] = issuerCredentialCheck(deps, issuer);
  return checks;
}
