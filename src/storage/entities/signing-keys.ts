import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochColumn, nullableEpochColumn } from '../columns';
import type { SigningKeyAlg, SigningKeyRow, SigningKeyState } from '../rows';

/** A key the OpenID provider signs ID tokens and JWT access tokens with; what each column means is in ../rows.ts. */
@Entity('signing_keys')
export class SigningKey implements SigningKeyRow {
  @PrimaryColumn('varchar', { length: 64 }) kid: string;
  @Column('varchar', { length: 8 }) alg: SigningKeyAlg;
  @Column('varchar', { length: 8 }) state: SigningKeyState;
  @Column('text') secretEnc: string;
  @Column('text') publicJwk: string;
  @Column(epochColumn) createdAt: number;
  @Column(nullableEpochColumn) activatedAt: number | null;
  @Column(nullableEpochColumn) retiredAt: number | null;
  @Column('integer', { nullable: true }) maxTokenLifetime: number | null;
}
