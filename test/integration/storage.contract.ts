import { accountsContract } from './storage.contract-accounts';
import { adminContract } from './storage.contract-admin';
import { deviceContract } from './storage.contract-device';
import type { StoreTarget } from './storage.contract-fixtures';
import { oauth1Contract } from './storage.contract-oauth1';
import { oauth2Contract } from './storage.contract-oauth2';
import { schemaContract } from './storage.contract-schema';
import { revocationsContract } from './storage.contract-revocations';
import { rowsContract } from './storage.contract-rows';
import { secretsContract } from './storage.contract-secrets';
import { consentsContract, transactionContract } from './storage.contract-store';
import { sweepContract } from './storage.contract-sweep';
import { userGrantsContract } from './storage.contract-user-grants';

export type { StoreTarget } from './storage.contract-fixtures';

/** The Store contract: the same behaviour on every database the gateway supports. */
export function storageContract(target: StoreTarget): void {
  describe(`storage contract on ${target.kind}`, () => {
    describe('schema and migrations', () => schemaContract(target));
    describe('rows in, rows out', () => rowsContract(target));
    describe('accounts', () => accountsContract(target));
    describe('consents', () => consentsContract(target));
    describe('OAuth 1.0a tokens', () => oauth1Contract(target));
    describe('OAuth 2.0 tokens', () => oauth2Contract(target));
    describe('device codes', () => deviceContract(target));
    describe('transactions', () => transactionContract(target));
    describe('sweeping expired rows', () => sweepContract(target));
    describe('settings and sealed secrets', () => secretsContract(target));
    describe('revocations', () => revocationsContract(target));
    describe('consumer links and user grants', () => userGrantsContract(target));
    describe('admin API storage', () => adminContract(target));
  });
}
