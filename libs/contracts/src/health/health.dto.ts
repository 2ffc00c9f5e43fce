import { IsIn } from 'class-validator';

export const DATABASE_MODES = ['embedded', 'external'] as const;
export type DatabaseMode = (typeof DATABASE_MODES)[number];

export class HealthDto {
  @IsIn(['ok'])
  status!: 'ok';

  /** `embedded` when Parley runs its own database, `external` with `MONGODB_URI`. */
  @IsIn(DATABASE_MODES)
  database!: DatabaseMode;
}
