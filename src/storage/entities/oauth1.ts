import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochColumn, nullableEpochColumn } from '../columns';

// Every token table is keyed by the SHA-256 digest (hex) of the token, never the token itself.

@Entity('oauth1_request_tokens')
export class RequestToken {
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
export class OAuth1Session {
  @PrimaryColumn('varchar', { length: 64 }) handleDigest: string;
  @Index() @Column('varchar', { length: 64 }) consumerKey: string;
  @Index() @Column('varchar', { length: 64 }) userId: string;
  @Index() @Column(epochColumn) expiresAt: number;
  @Column(nullableEpochColumn) revokedAt: number | null;
  @Column(epochColumn) createdAt: number;
}

@Entity('oauth1_access_tokens')
export class OAuth1AccessToken {
  @PrimaryColumn('varchar', { length: 64 }) digest: string;
  @Index() @Column('varchar', { length: 64 }) sessionDigest: string;
  @Column('varchar', { length: 64 }) consumerKey: string;
  @Index() @Column('varchar', { length: 64 }) userId: string;
  @Column('text') secretEnc: string;
  @Index() @Column(epochColumn) expiresAt: number;
  @Column(nullableEpochColumn) revokedAt: number | null;
  @Column(epochColumn) createdAt: number;
}
