import { Controller, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { z } from 'zod';
import { AcknowledgeResponse, acknowledgeRequestSchema, idParamsSchema } from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import { Policy } from '../auth/roles.guard';
import type { Principal } from '../auth/token.service';
import { ValidBody, ValidParams } from '../common/validation';
import { AcknowledgeService } from './acknowledge.service';

@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly acknowledgements: AcknowledgeService) {}

  /** 201 with the new report.acknowledged event; 200 with the earlier one if already acknowledged. */
  @Post(':id/acknowledge')
  @Policy('reports.acknowledge')
  async acknowledge(
    @ValidParams(idParamsSchema) { id }: z.infer<typeof idParamsSchema>,
    @ValidBody(acknowledgeRequestSchema, { optional: true }) request: z.infer<typeof acknowledgeRequestSchema>,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AcknowledgeResponse> {
    const answer = await this.acknowledgements.acknowledge(id, request, caller);
    res.status(answer.alreadyAcknowledged ? 200 : 201);
    return answer;
  }
}
