import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { AcknowledgeResponse, acknowledgeRequestSchema } from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { parseOrThrow } from '../common/validation';
import { AcknowledgeService } from './acknowledge.service';

const idParams = z.strictObject({ id: z.uuid() });

@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly acknowledgements: AcknowledgeService) {}

  /** 201 with the new report.acknowledged event; 200 with the earlier one if already acknowledged. */
  @Post(':id/acknowledge')
  async acknowledge(
    @Param() params: unknown,
    @Body() body: unknown,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AcknowledgeResponse> {
    const { id } = parseOrThrow(idParams, params, 'params');
    // No body at all is the same as an empty one: the note is optional.
    const request = parseOrThrow(acknowledgeRequestSchema, body ?? {});
    const answer = await this.acknowledgements.acknowledge(id.toLowerCase(), request, caller);
    res.status(answer.alreadyAcknowledged ? 200 : 201);
    return answer;
  }
}
