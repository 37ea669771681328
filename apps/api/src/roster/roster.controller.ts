import { Body, Controller, Get, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { z } from 'zod';
import type { Request, Response } from 'express';
import {
  handoverRequestSchema,
  HandoverResponse,
  checkInRequestSchema,
  CheckInResponse,
  leaveRequestSchema,
  overrideRequestSchema,
  RosterChangeResponse,
  swapRequestSchema,
  swapRejectSchema,
  rotationRequestSchema,
  rotationUpdateSchema,
  RotationResponse,
  specialDayRequestSchema,
  specialDayUpdateSchema,
  CoverageGapsResponse,
  coverageGapsQuerySchema,
  OnDutyResponse,
  onDutyQuerySchema,
} from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { clientInfo } from '../common/client-info';
import { parseOrThrow } from '../common/validation';
import { HandoverService } from './handover.service';
import { RosterChangesService } from './roster-changes.service';
import { RosterService } from './roster.service';

const idParams = z.strictObject({ id: z.uuid() });
const centerQuery = z.strictObject({ centerId: z.uuid() });

@Controller('api/v1/roster')
export class RosterController {
  constructor(
    private readonly roster: RosterService,
    private readonly changes: RosterChangesService,
    private readonly handovers: HandoverService,
  ) {}

  /** `?unit=CODE&at=ISO` (defaults: the caller's home unit, now): who is on duty at each center of the unit. */
  @Get('on-duty')
  onDuty(
    @Query() query: unknown,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
  ): Promise<OnDutyResponse> {
    const { unit, at } = parseOrThrow(onDutyQuerySchema, query, 'query');
    return this.roster.onDutyFor(
      caller,
      unit ?? caller.unitCode,
      at ? new Date(at) : new Date(),
      clientInfo(req),
    );
  }

  /** `?unit=CODE&days=14` (1..60, default 14): understaffed stretches from now, the unit's whole subtree. */
  @Get('gaps')
  gaps(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<CoverageGapsResponse> {
    const { unit, days } = parseOrThrow(coverageGapsQuerySchema, query, 'query');
    return this.roster.gapsFor(caller, unit ?? caller.unitCode, new Date(), days ?? 14);
  }

  /** One shift changed by hand (commander / admin): 201 `{id, eventId}`. */
  @Post('overrides')
  override(@Body() body: unknown, @CurrentUser() caller: Principal): Promise<RosterChangeResponse> {
    return this.changes.createOverride(parseOrThrow(overrideRequestSchema, body), caller);
  }

  /** Two people trade two shifts; nothing changes until the commander approves. */
  @Post('swaps')
  proposeSwap(
    @Body() body: unknown,
    @CurrentUser() caller: Principal,
  ): Promise<RosterChangeResponse> {
    return this.changes.proposeSwap(parseOrThrow(swapRequestSchema, body), caller);
  }

  /** Commander only: the swap applies, `roster.changed` is emitted. */
  @Post('swaps/:id/approve')
  approveSwap(
    @Param() params: unknown,
    @CurrentUser() caller: Principal,
  ): Promise<RosterChangeResponse> {
    const { id } = parseOrThrow(idParams, params, 'params');
    return this.changes.approveSwap(id.toLowerCase(), caller);
  }

  /** Commander only: the proposed swap is turned down (`roster.changed`, action `rejected`). */
  @Post('swaps/:id/reject')
  rejectSwap(
    @Param() params: unknown,
    @Body() body: unknown,
    @CurrentUser() caller: Principal,
  ): Promise<RosterChangeResponse> {
    const { id } = parseOrThrow(idParams, params, 'params');
    const { reason } = parseOrThrow(swapRejectSchema, body ?? {});
    return this.changes.rejectSwap(id.toLowerCase(), reason, caller);
  }

  /** `?centerId=`: every rotation of the center, ended ones included (the history of its pattern). */
  @Get('rotations')
  rotations(
    @Query() query: unknown,
    @CurrentUser() caller: Principal,
  ): Promise<RotationResponse[]> {
    const { centerId } = parseOrThrow(centerQuery, query, 'query');
    return this.changes.listRotations(centerId.toLowerCase(), caller);
  }

  @Get('rotations/:id')
  rotation(@Param() params: unknown, @CurrentUser() caller: Principal): Promise<RotationResponse> {
    const { id } = parseOrThrow(idParams, params, 'params');
    return this.changes.getRotation(id.toLowerCase(), caller);
  }

  /** A new rotation, regular or of one special day (commander / admin): 201 `{id, eventId}`; 409 when it overlaps. */
  @Post('rotations')
  createRotation(
    @Body() body: unknown,
    @CurrentUser() caller: Principal,
  ): Promise<RosterChangeResponse> {
    return this.changes.createRotation(parseOrThrow(rotationRequestSchema, body), caller);
  }

  /** The pattern changes from `effectiveFrom` on; the past keeps the old one (`replacedId`). */
  @Patch('rotations/:id')
  updateRotation(
    @Param() params: unknown,
    @Body() body: unknown,
    @CurrentUser() caller: Principal,
  ): Promise<RosterChangeResponse> {
    const { id } = parseOrThrow(idParams, params, 'params');
    return this.changes.updateRotation(
      id.toLowerCase(),
      parseOrThrow(rotationUpdateSchema, body),
      caller,
    );
  }

  /** A holiday of one center (Tết, 2/9), to which rotations of its own may be attached. */
  @Post('special-days')
  createSpecialDay(
    @Body() body: unknown,
    @CurrentUser() caller: Principal,
  ): Promise<RosterChangeResponse> {
    return this.changes.createSpecialDay(parseOrThrow(specialDayRequestSchema, body), caller);
  }

  @Patch('special-days/:id')
  updateSpecialDay(
    @Param() params: unknown,
    @Body() body: unknown,
    @CurrentUser() caller: Principal,
  ): Promise<RosterChangeResponse> {
    const { id } = parseOrThrow(idParams, params, 'params');
    return this.changes.updateSpecialDay(
      id.toLowerCase(),
      parseOrThrow(specialDayUpdateSchema, body),
      caller,
    );
  }

  /** Leave (commander / admin): 201 once; 200 `alreadyRecorded` for the same leave again. */
  @Post('leave')
  async leave(
    @Body() body: unknown,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RosterChangeResponse> {
    const answer = await this.changes.recordLeave(parseOrThrow(leaveRequestSchema, body), caller);
    res.status(answer.alreadyRecorded ? 200 : 201);
    return answer;
  }

  /** The logged-in officer checks in for their shift: 201 once per shift, 200 after. */
  @Post('check-in')
  async checkIn(
    @Body() body: unknown,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CheckInResponse> {
    const answer = await this.changes.checkIn(parseOrThrow(checkInRequestSchema, body), caller);
    res.status(answer.alreadyCheckedIn ? 200 : 201);
    return answer;
  }

  /** The outgoing officer hands over with a digest: 201 once per shift, 200 with the same one after. */
  @Post('handover')
  async handover(
    @Body() body: unknown,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HandoverResponse> {
    const answer = await this.handovers.create(parseOrThrow(handoverRequestSchema, body), caller);
    res.status(answer.created ? 201 : 200);
    return answer.handover;
  }

  @Get('handover/:id')
  getHandover(
    @Param() params: unknown,
    @CurrentUser() caller: Principal,
  ): Promise<HandoverResponse> {
    const { id } = parseOrThrow(idParams, params, 'params');
    return this.handovers.get(id.toLowerCase(), caller);
  }

  /** The incoming officer signs: `shift.handed-over`; 201 once, 200 when already signed. */
  @Post('handover/:id/sign')
  async signHandover(
    @Param() params: unknown,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HandoverResponse> {
    const { id } = parseOrThrow(idParams, params, 'params');
    const answer = await this.handovers.sign(id.toLowerCase(), caller);
    res.status(answer.created ? 201 : 200);
    return answer.handover;
  }
}
