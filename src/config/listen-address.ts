import net from 'node:net';
import { z } from 'zod';

// A listen address as an operator writes it in one setting: "HOST:PORT" or a bare "PORT". A bare
// port binds loopback, so a listener meant for operators is never opened to the network by
// leaving the host out. HOST is an IP address ([...] for IPv6) or localhost: no name lookup at start.

export interface ListenAddress {
  host: string;
  port: number;
}

const SHAPE = /^(?:(\[[0-9A-Fa-f:.]+\]|[^:[\]]+):)?(\d{1,5})$/;

/** The host and port, or null when the value is not one of the accepted spellings. */
export function parseListenAddress(value: string): ListenAddress | null {
  const match = SHAPE.exec(value.trim());
  if (!match) return null;
  const port = Number(match[2]);
  if (port > 65535) return null;
  const written = match[1] ?? '127.0.0.1';
  const host = written.startsWith('[') ? written.slice(1, -1) : written;
  if (host !== 'localhost' && net.isIP(host) === 0) return null;
  return { host, port };
}

export const listenAddressSchema = z
  .string()
  .refine((value) => parseListenAddress(value) !== null, 'must be HOST:PORT (e.g. 127.0.0.1:9091, [::1]:9091) or a port (then 127.0.0.1); HOST is an IP address or localhost');
