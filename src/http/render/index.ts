import type { ErrorFormat } from '../error-format';
import type { ProtocolError } from '../protocol-error';
import { renderGatewayJson } from './gateway-json';
import { renderPage } from './html-page';
import { renderOAuth1Problem } from './oauth1-problem-form';
import { renderOAuth2Json } from './oauth2-json';
import { renderProblemDetails } from './problem-details';
import type { RenderedError } from './rendered';

export interface RenderOptions {
  /** config oauth1.realm: the challenge of an OAuth 1.0a 401. */
  oauth1Realm: string;
}

/** The one answer a refusal gets in a format. Pure: data in, status, headers and body out. */
export function renderError(format: ErrorFormat, error: ProtocolError, options: RenderOptions): RenderedError {
  switch (format) {
    case 'oauth1':
      return renderOAuth1Problem(error, { realm: options.oauth1Realm });
    case 'oauth2':
      return renderOAuth2Json(error);
    case 'problem-details':
      return renderProblemDetails(error);
    case 'page':
      return renderPage(error);
    case 'gateway':
      return renderGatewayJson(error);
  }
}

export type { RenderedError } from './rendered';
