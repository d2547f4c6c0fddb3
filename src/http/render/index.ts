import type { ErrorFormat } from '../error-format';
import type { ProtocolError } from '../protocol-error';
import { renderGatewayJson } from './gateway-json';
import { renderPage } from './html-page';
import { renderOAuth1Problem } from './oauth1-problem-form';
import { renderOAuth2Json } from './oauth2-json';
import { renderProblemDetails } from './problem-details';
import { renderProblemJson } from './problem-json';
import type { RenderedError } from './rendered';
import type { PageChrome } from '../../pages/templates/layout';

/** What a renderer may know about the request it answers (only the page shows them). */
export interface RenderedFor {
  requestId?: string;
  chrome?: PageChrome;
}

export interface RenderOptions {
  /** config oauth1.realm: the challenge of an OAuth 1.0a 401. */
  oauth1Realm: string;
}

/** The one answer a refusal gets in a format. Pure: data in, status, headers and body out. */
export function renderError(format: ErrorFormat, error: ProtocolError, options: RenderOptions, request: RenderedFor = {}): RenderedError {
  switch (format) {
    case 'oauth1':
      return renderOAuth1Problem(error, { realm: options.oauth1Realm });
    case 'oauth2':
      return renderOAuth2Json(error);
    case 'problem-details':
      return renderProblemDetails(error);
    case 'problem-json':
      return renderProblemJson(error);
    case 'page':
      return renderPage(error, request);
    case 'gateway':
      return renderGatewayJson(error);
  }
}

export type { RenderedError } from './rendered';
