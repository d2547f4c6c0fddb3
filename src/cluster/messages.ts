import type { GatewayConfig } from '../config';

// What the primary and its workers say to each other over the cluster IPC channel. The worker asks
// for its configuration once it listens for the answer (a message sent before would be lost), so
// every worker, restarted ones too, runs with exactly the configuration the primary validated.

export type WorkerMessage = { type: 'config?' } | { type: 'ready'; url: string; adminUrl?: string | null };
export type PrimaryMessage = { type: 'config'; config: GatewayConfig };

const isObject = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null;

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  const adminUrl = isObject(m) ? m.adminUrl : undefined;
  return isObject(m) && (m.type === 'config?' || (m.type === 'ready' && typeof m.url === 'string' && (adminUrl == null || typeof adminUrl === 'string')));
}

export function isPrimaryMessage(m: unknown): m is PrimaryMessage {
  return isObject(m) && m.type === 'config' && isObject(m.config);
}
