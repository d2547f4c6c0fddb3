import type { Context } from '../../http/context';
import { setNoStore } from '../../http/security-headers';
import { percentEncode } from '../encoding';

/**
 * Token endpoint answers are application/x-www-form-urlencoded with RFC 5849 encoding (RFC 5849
 * section 2.1), and carry credentials, so no cache may keep them.
 */
export function sendForm(ctx: Context, pairs: ReadonlyArray<readonly [string, string]>): void {
  ctx.status = 200;
  setNoStore(ctx);
  ctx.type = 'application/x-www-form-urlencoded';
  ctx.body = pairs.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
  ctx.state.outcome = 'ok';
}
