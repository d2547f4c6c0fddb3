export { oauth2Endpoints, oauth2Router, type Announcement, type OAuth2Endpoint } from './endpoints';
export { bearerCredentialCheck, requireBearer, BearerError } from './bearer';
export { OAuth2Error } from './errors';
export { tokenExchange, type ExchangeToken, type TokenExchange } from './exchange';
export { GRANT_TYPES, GrantRegistry } from './grants';
