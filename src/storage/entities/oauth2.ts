import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochColumn, nullableEpochColumn } from '../columns';
import type { AccessTokenRow, AuthorizationCodeRow, DeviceCodeRow, DeviceCodeStatus, RefreshTokenRow } from '../rows';

// The TypeORM mapping of the OAuth 2.0 token tables; what each column means is in ../rows.ts.

@Entity('authorization_codes')
export class AuthorizationCode implements AuthorizationCodeRow {
  @PrimaryColumn('varchar', { length: 64 }) digest: string;
  @Column('varchar', { length: 64 }) clientId: string;
  @Column('varchar', { length: 64 }) userId: string;
  @Column('varchar', { length: 2048 }) redirectUri: string;
  @Column('varchar', { length: 1024 }) scope: string;
  @Column('varchar', { length: 128, nullable: true }) codeChallenge: string | null;
  @Column('varchar', { length: 8, nullable: true }) codeChallengeMethod: string | null;
  @Index() @Column(epochColumn) expiresAt: number;
  @Column(nullableEpochColumn) consumedAt: number | null;
  @Column(epochColumn) createdAt: number;
  @Column('varchar', { length: 512, nullable: true }) nonce?: string | null;
  @Column(nullableEpochColumn) authTime?: number | null;
}

@Entity('oauth2_access_tokens')
export class AccessToken implements AccessTokenRow {
  @PrimaryColumn('varchar', { length: 64 }) digest: string;
  @Index() @Column('varchar', { length: 64 }) clientId: string;
  // Indexed for taking back every token of a user (password change, disable).
  @Index() @Column('varchar', { length: 64, nullable: true }) userId: string | null;
  @Column('varchar', { length: 1024 }) scope: string;
  @Column('varchar', { length: 64 }) grantType: string;
  // Refresh-token family (all tokens descending from one grant) and the code it came from, for mass revocation.
  @Index() @Column('varchar', { length: 64, nullable: true }) familyId: string | null;
  @Index() @Column('varchar', { length: 64, nullable: true }) codeDigest: string | null;
  @Index() @Column(epochColumn) expiresAt: number;
  @Column(nullableEpochColumn) revokedAt: number | null;
  @Column(epochColumn) createdAt: number;
}

@Entity('oauth2_refresh_tokens')
export class RefreshToken implements RefreshTokenRow {
  @PrimaryColumn('varchar', { length: 64 }) digest: string;
  @Index() @Column('varchar', { length: 64 }) familyId: string;
  @Column('varchar', { length: 64 }) clientId: string;
  @Index() @Column('varchar', { length: 64, nullable: true }) userId: string | null;
  @Column('varchar', { length: 1024 }) scope: string;
  @Index() @Column(epochColumn) expiresAt: number;
  // Set when the token was exchanged: a second use is a replay and revokes the family.
  @Column(nullableEpochColumn) rotatedAt: number | null;
  @Column(nullableEpochColumn) revokedAt: number | null;
  @Column(epochColumn) createdAt: number;
}

@Entity('device_codes')
export class DeviceCode implements DeviceCodeRow {
  @PrimaryColumn('varchar', { length: 64 }) digest: string;
  // Normalised user code (upper case, no dash), unique while it lives.
  @Index({ unique: true }) @Column('varchar', { length: 16 }) userCode: string;
  @Column('varchar', { length: 64 }) clientId: string;
  @Column('varchar', { length: 1024 }) scope: string;
  @Column('varchar', { length: 16 }) status: DeviceCodeStatus;
  @Column('varchar', { length: 64, nullable: true }) userId: string | null;
  @Column('integer') interval: number;
  @Column(nullableEpochColumn) lastPolledAt: number | null;
  @Index() @Column(epochColumn) expiresAt: number;
  @Column(nullableEpochColumn) consumedAt: number | null;
  @Column(epochColumn) createdAt: number;
}
