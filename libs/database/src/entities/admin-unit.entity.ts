import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { UnitLevel } from '@frontline/contracts';

/** A node of the administrative tree; `path` holds the codes from the root down to this unit. */
@Entity({ name: 'admin_units' })
export class AdminUnitEntity {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  level!: UnitLevel;

  @Column({ name: 'parent_code', type: 'text', nullable: true })
  parentCode!: string | null;

  @Column({ type: 'text', array: true })
  path!: string[];

  @Column({ type: 'boolean', default: false })
  approximate!: boolean;

  @Column({ name: 'geometry_source', type: 'text', nullable: true })
  geometrySource!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
