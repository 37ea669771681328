import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** An event as the acknowledgement checks it: its type and where it belongs. */
export interface ReportEvent {
  type: string;
  unit_code: string;
  unit_path: string[];
  drill: boolean;
  exercise_id: string | null;
}

/** Reports and their acknowledgements, read from the event log (a report is its `report.received` event). */
@Injectable()
export class ReportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async event(id: string): Promise<ReportEvent | undefined> {
    const rows = (await this.dataSource.query(
      'SELECT type, unit_code, unit_path, drill, exercise_id FROM event_log WHERE id = $1',
      [id],
    )) as ReportEvent[];
    return rows[0];
  }

  /** Whether the event with this id is the acknowledgement of that report. */
  async isAcknowledgementOf(id: string, reportId: string): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT type, payload->>'reportId' AS report_id FROM event_log WHERE id = $1`, [
      id,
    ])) as { type: string; report_id: string | null }[];
    return rows[0]?.type === 'report.acknowledged' && rows[0].report_id === reportId;
  }
}
