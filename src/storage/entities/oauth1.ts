import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochColumn, nullableEpochColumn } from '../columns';
import type { OAuth1AccessTokenRow, OAuth1SessionRow, RequestTokenRow } from '../rows';

// The TypeORM mapping of the OAuth 1.0a tables; what each column means is in ../rows.ts.

@Entity('oauth1_request_tokens')
export class RequestToken implements RequestTokenRow {
  @PrimaryColumn('varchar', { length: 64 }) digest: string;
  @Index() @Column('varchar', { length: 64 }) consumerKey: string;
  @Column('text') secretEnc: string;
  // "oob" or the callback URL given at request_token.
  @Column('varchar', { length: 2048 }) callback: string;
  @Column('varchar', { length: 64, nullable: true }) verifierDigest: string | null;
  @Column('varchar', { length: 64, nullable: true }) userId: string | null;
  @Column(nullableEpochColumn) authorizedAt: number | null;
  @Column(nullableEpochColumn) deniedAt: number | null;
  @Column(nullableEpochColumn) usedAt: number | null;
  @Index() @Column(epochColumn) expiresAt: number;
  @Column(epochColumn) createdAt: number;
}

/** The session extension: the authorization behind a chain of access tokens, named by oauth_session_handle. */
@Entity('oauth1_sessions')
export class OAuth1Session implements OAuth1SessionRow {
  @PrimaryColumn('varchar', { length: 64 }) handleDigest: string;
  @Index() @Column('varchar', { length: 64 }) consumerKey: string;
  @Index() @Column('varchar', { length: 64 }) userId: string;
  @Index() @Column(epochColumn) expiresAt: number;
  @Column(nullableEpochColumn) revokedAt: number | null;
  @Column(epochColumn) createdAt: number;
}

@Entity('oauth1_access_tokens')
export class OAuth1AccessToken implements OAuth1AccessTokenRow {
  @PrimaryColumn('varchar', { length: 64 }) digest: string;
  @Index() @Column('varchar', { length: 64 }) sessionDigest: string;
  @Column('varchar', { length: 64 }) consumerKey: string;
  @Index() @Column('varchar', { length: 64 }) userId: string;
  @Column('text') secretEnc: string;
  @Index() @Column(epochColumn) expiresAt: number;
  @Column(nullableEpochColumn) revokedAt: number | null;
  @Column(epochColumn) createdAt: number;
}
