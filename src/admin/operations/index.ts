import type { Operation } from '../operation';
import { clientOperations } from './clients';
import { partyGrantOperations } from './party-grants';
import { consumerOperations } from './consumers';
import { profileOperations } from './profiles';
import { readOnlyOperations } from './read-only';
import { sessionOperations } from './sessions';
import { signingKeyOperations } from './signing-keys';
import { userOperations } from './users';

/** Every operation of the admin API, in the order the OpenAPI document lists them. */
export const adminOperations: readonly Operation[] = [...profileOperations, ...userOperations, ...sessionOperations, ...clientOperations, ...consumerOperations, ...partyGrantOperations, ...signingKeyOperations, ...readOnlyOperations];
