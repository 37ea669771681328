import { Controller, Get, Patch, Post, Req, Res } from '@nestjs/common';
import type { z } from 'zod';
import type { Request, Response } from 'express';
import {
  centerQuerySchema,
  CheckInRequest,
  checkInRequestSchema,
  CheckInResponse,
  CoverageGapsResponse,
  coverageGapsQuerySchema,
  HandoverRequest,
  handoverRequestSchema,
  HandoverResponse,
  idParamsSchema,
  LeaveRequest,
  leaveRequestSchema,
  OnDutyResponse,
  onDutyQuerySchema,
  OverrideRequest,
  overrideRequestSchema,
  RosterChangeResponse,
  RotationRequest,
  rotationRequestSchema,
  RotationResponse,
  rotationUpdateSchema,
  SpecialDayRequest,
  specialDayRequestSchema,
  specialDayUpdateSchema,
  SwapRequest,
  swapRejectSchema,
  swapRequestSchema,
} from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import { Policy } from '../auth/roles.guard';
import type { Principal } from '../auth/token.service';
import { clientInfo } from '../common/client-info';
import { ValidBody, ValidParams, ValidQuery } from '../common/validation';
import { HandoverService } from './handover.service';
import { RosterChangesService } from './roster-changes.service';
import { RosterService } from './roster.service';

type RecordId = z.infer<typeof idParamsSchema>;

@Controller('api/v1/roster')
export class RosterController {
  constructor(
    private readonly roster: RosterService,
    private readonly changes: RosterChangesService,
    private readonly handovers: HandoverService,
  ) {}

  /** `?unit=CODE&at=ISO` (defaults: the caller's home unit, now): who is on duty at each center of the unit. */
  @Get('on-duty')
  @Policy('roster.read')
  onDuty(
    @ValidQuery(onDutyQuerySchema) { unit, at }: z.infer<typeof onDutyQuerySchema>,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
  ): Promise<OnDutyResponse> {
    return this.roster.onDutyFor(caller, unit ?? caller.unitCode, at ? new Date(at) : new Date(), clientInfo(req));
  }

  /** `?unit=CODE&days=14` (1..60, default 14): understaffed stretches from now, the unit's whole subtree. */
  @Get('gaps')
  @Policy('roster.read')
  gaps(
    @ValidQuery(coverageGapsQuerySchema) { unit, days }: z.infer<typeof coverageGapsQuerySchema>,
    @CurrentUser() caller: Principal,
  ): Promise<CoverageGapsResponse> {
    return this.roster.gapsFor(caller, unit ?? caller.unitCode, new Date(), days ?? 14);
  }

  /** One shift changed by hand (commander / admin): 201 `{id, eventId}`. */
  @Post('overrides')
  @Policy('roster.edit')
  override(@ValidBody(overrideRequestSchema) body: OverrideRequest, @CurrentUser() caller: Principal): Promise<RosterChangeResponse> {
    return this.changes.createOverride(body, caller);
  }

  /** Two people trade two shifts; nothing changes until the commander approves. */
  @Post('swaps')
  @Policy('roster.propose-swap')
  proposeSwap(@ValidBody(swapRequestSchema) body: SwapRequest, @CurrentUser() caller: Principal): Promise<RosterChangeResponse> {
    return this.changes.proposeSwap(body, caller);
  }

  /** Commander only: the swap applies, `roster.changed` is emitted. */
  @Post('swaps/:id/approve')
  @Policy('roster.decide-swap')
  approveSwap(@ValidParams(idParamsSchema) { id }: RecordId, @CurrentUser() caller: Principal): Promise<RosterChangeResponse> {
    return this.changes.approveSwap(id, caller);
  }

  /** Commander only: the proposed swap is turned down (`roster.changed`, action `rejected`). */
  @Post('swaps/:id/reject')
  @Policy('roster.decide-swap')
  rejectSwap(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(swapRejectSchema, { optional: true }) { reason }: z.infer<typeof swapRejectSchema>,
    @CurrentUser() caller: Principal,
  ): Promise<RosterChangeResponse> {
    return this.changes.rejectSwap(id, reason, caller);
  }

  /** `?centerId=`: every rotation of the center, ended ones included (the history of its pattern). */
  @Get('rotations')
  @Policy('roster.read')
  rotations(
    @ValidQuery(centerQuerySchema) { centerId }: z.infer<typeof centerQuerySchema>,
    @CurrentUser() caller: Principal,
  ): Promise<RotationResponse[]> {
    return this.changes.listRotations(centerId.toLowerCase(), caller);
  }

  @Get('rotations/:id')
  @Policy('roster.read')
  rotation(@ValidParams(idParamsSchema) { id }: RecordId, @CurrentUser() caller: Principal): Promise<RotationResponse> {
    return this.changes.getRotation(id, caller);
  }

  /** A new rotation, regular or of one special day (commander / admin): 201 `{id, eventId}`; 409 when it overlaps. */
  @Post('rotations')
  @Policy('roster.edit')
  createRotation(@ValidBody(rotationRequestSchema) body: RotationRequest, @CurrentUser() caller: Principal): Promise<RosterChangeResponse> {
    return this.changes.createRotation(body, caller);
  }

  /** The pattern changes from `effectiveFrom` on; the past keeps the old one (`replacedId`). */
  @Patch('rotations/:id')
  @Policy('roster.edit')
  updateRotation(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(rotationUpdateSchema) body: z.infer<typeof rotationUpdateSchema>,
    @CurrentUser() caller: Principal,
  ): Promise<RosterChangeResponse> {
    return this.changes.updateRotation(id, body, caller);
  }

  /** A holiday of one center (Tết, 2/9), to which rotations of its own may be attached. */
  @Post('special-days')
  @Policy('roster.edit')
  createSpecialDay(@ValidBody(specialDayRequestSchema) body: SpecialDayRequest, @CurrentUser() caller: Principal): Promise<RosterChangeResponse> {
    return this.changes.createSpecialDay(body, caller);
  }

  @Patch('special-days/:id')
  @Policy('roster.edit')
  updateSpecialDay(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(specialDayUpdateSchema) body: z.infer<typeof specialDayUpdateSchema>,
    @CurrentUser() caller: Principal,
  ): Promise<RosterChangeResponse> {
    return this.changes.updateSpecialDay(id, body, caller);
  }

  /** Leave (commander / admin): 201 once; 200 `alreadyRecorded` for the same leave again. */
  @Post('leave')
  @Policy('roster.edit')
  async leave(
    @ValidBody(leaveRequestSchema) body: LeaveRequest,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RosterChangeResponse> {
    const answer = await this.changes.recordLeave(body, caller);
    res.status(answer.alreadyRecorded ? 200 : 201);
    return answer;
  }

  /** The logged-in officer checks in for their shift: 201 once per shift, 200 after. */
  @Post('check-in')
  @Policy('roster.duty')
  async checkIn(
    @ValidBody(checkInRequestSchema) body: CheckInRequest,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CheckInResponse> {
    const answer = await this.changes.checkIn(body, caller);
    res.status(answer.alreadyCheckedIn ? 200 : 201);
    return answer;
  }

  /** The outgoing officer hands over with a digest: 201 once per shift, 200 with the same one after. */
  @Post('handover')
  @Policy('roster.duty')
  async handover(
    @ValidBody(handoverRequestSchema) body: HandoverRequest,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HandoverResponse> {
    const answer = await this.handovers.create(body, caller);
    res.status(answer.created ? 201 : 200);
    return answer.handover;
  }

  @Get('handover/:id')
  @Policy('roster.duty')
  getHandover(@ValidParams(idParamsSchema) { id }: RecordId, @CurrentUser() caller: Principal): Promise<HandoverResponse> {
    return this.handovers.get(id, caller);
  }

  /** The incoming officer signs: `shift.handed-over`; 201 once, 200 when already signed. */
  @Post('handover/:id/sign')
  @Policy('roster.duty')
  async signHandover(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HandoverResponse> {
    const answer = await this.handovers.sign(id, caller);
    res.status(answer.created ? 201 : 200);
    return answer.handover;
  }
}
