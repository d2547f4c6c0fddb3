import type { Context } from '../../http/context';
import { answersIn } from '../../http/error-format';
import { routeName } from '../../http/middleware/route-name';
import { badRequest, messagePage, sendPage } from '../../pages';
import { DONE_PATH } from '../device/paths';
import type { OAuth2Endpoint } from './types';

async function showDeviceDone(ctx: Context): Promise<void> {
  const result = ctx.query.result;
  if (result === 'approved') {
    sendPage(ctx, messagePage({ title: 'Device connected', message: 'Your device is now connected to your account. Return to it to continue.' }));
  } else if (result === 'denied') {
    sendPage(ctx, messagePage({ title: 'Access denied', message: 'The device was not given access to your account.' }));
  } else {
    throw badRequest('This page shows the result of connecting a device. Start again on your device.');
  }
  ctx.state.outcome = 'ok';
}

/** GET /device/done: the last page of the device flow; the device learns the outcome by polling. */
export const deviceDoneEndpoint: OAuth2Endpoint = {
  paths: [DONE_PATH],
  common: [routeName('oauth2.device'), answersIn('page')],
  methods: { GET: [showDeviceDone] },
  announces: null,
};
