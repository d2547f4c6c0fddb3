// Shared by the bench issuer (servers/bench-issuer.ts) and the runner's gateway config (targets.ts):
// the audience of the bench tokens and the gateway's client at the issuer.
export const BENCH_AUDIENCE = 'https://bench.api.example';
export const BENCH_GATEWAY_CLIENT = { clientId: 'gateway', clientSecret: 'bench-gateway-secret-0123456789' };
